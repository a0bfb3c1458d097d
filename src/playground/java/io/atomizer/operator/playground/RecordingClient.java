package io.atomizer.operator.playground;

import io.atomizer.operator.OperatorClient;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;

/**
 * A client that records every request it sends as an {@link ApiCall}, for measuring the operator
 * against any API server (the mock records on the server side instead). It reads as the operator's
 * own client does ({@link OperatorClient}).
 */
public final class RecordingClient {

  private RecordingClient() {}

  public static KubernetesClient create(Config config, List<ApiCall> sink) {
    Interceptor recorder =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            var uri = request.uri();
            var path =
                uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            var call = ApiCall.parse(request.method(), path);
            if (call != null) {
              sink.add(call);
            }
          }
        };
    return OperatorClient.builder()
        .withConfig(config)
        .withHttpClientBuilderConsumer(
            b -> b.addOrReplaceInterceptor("atomizer-recorder", recorder))
        .build();
  }
}
