package io.atomizer.operator.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The operator's /metrics page, read as Prometheus would, on a port picked for the test. */
public final class MetricsPage {

  private MetricsPage() {}

  /** A port nothing listens on right now, for the operator's HTTP endpoint. */
  public static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The page served at {@code http://127.0.0.1:<port>/metrics}; it must answer 200. */
  public static String scrape(int port) throws IOException, InterruptedException {
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.body();
  }
}
