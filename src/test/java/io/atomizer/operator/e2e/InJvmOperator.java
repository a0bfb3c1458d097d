package io.atomizer.operator.e2e;

import io.atomizer.operator.AtomizerOperator;
import io.atomizer.operator.OperatorConfig;
import io.atomizer.operator.OperatorRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The operator in the test JVM for one end-to-end class, the e2e counterpart of the mock tier's
 * {@code OperatorHarness}: register it as a static {@code @RegisterExtension} field, {@link #start}
 * it in {@code @BeforeAll} once the cluster is chosen, and it is stopped after the class's tests
 * (then whatever {@link #closeAfterwards} was given, e.g. the simulated node), failed or not.
 * {@link #TEST_SETTINGS} is the one list of settings every e2e class runs the operator with.
 */
final class InJvmOperator implements AfterAllCallback {

  /**
   * The settings (environment variable names) every e2e class starts the operator with; a class
   * adds to them or overrides them in {@link #start(KubernetesClient, Map)}.
   *
   * <ul>
   *   <li>no Discord login: the tests' tokens are fake and the machine has no egress;
   *   <li>the HTTP endpoint on a free port (0), so classes and a deployed operator never collide;
   *   <li>no Discord status poll: no pod in this tier runs a gateway with the admin RPC (simulated
   *       pods have no address; the stand-in image answers only its probes), and each failed poll
   *       would be a status write the tests did not cause.
   * </ul>
   */
  static final Map<String, String> TEST_SETTINGS =
      Map.of(
          "ATOMIZER_DISCORD_VERIFY", "false",
          "ATOMIZER_HTTP_PORT", "0",
          "ATOMIZER_DISCORD_STATUS_INTERVAL_SECONDS", "0");

  private final List<AutoCloseable> afterwards = new ArrayList<>();
  private OperatorRuntime runtime;

  /** Starts the operator with {@link #TEST_SETTINGS} on {@code client}. */
  OperatorRuntime start(KubernetesClient client) {
    return start(client, Map.of());
  }

  /** Starts the operator with {@link #TEST_SETTINGS} and {@code settings} on top. */
  OperatorRuntime start(KubernetesClient client, Map<String, String> settings) {
    if (runtime != null) {
      throw new IllegalStateException("the operator of this class runs already");
    }
    var env = new HashMap<>(TEST_SETTINGS);
    env.putAll(settings);
    runtime =
        AtomizerOperator.start(client, OperatorConfig.from(env, new String[0]), Clock.systemUTC());
    return runtime;
  }

  /** Closes {@code resource} after the operator has stopped (in reverse order of the calls). */
  <T extends AutoCloseable> T closeAfterwards(T resource) {
    afterwards.add(0, resource);
    return resource;
  }

  /** Stops the operator if it runs; the extension calls it after the class's tests. */
  void stop() {
    if (runtime != null) {
      runtime.stop();
      runtime = null;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      stop();
    } finally {
      for (var resource : afterwards) {
        resource.close();
      }
      afterwards.clear();
    }
  }
}
