package io.atomizer.operator.chaos;

import io.atomizer.operator.playground.ApiCall;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Errors, slow answers and timeouts on a share of the operator's requests. Errors replace the
 * answer (the request is not carried out); slow answers and timeouts are carried out and answered
 * late, the timeouts after the operator's client has given up, so that it cannot know whether its
 * write happened.
 */
final class ApiFaults {

  /** The kinds of request faults. */
  enum Kind {
    /** 409 Conflict on a write, as when someone else changed the object. */
    CONFLICT,
    /** 500 Internal Server Error on any request but a watch. */
    SERVER_ERROR,
    /** The request is carried out and answered 0.2 to 0.9 s late. */
    SLOW,
    /** The request is carried out and answered after the client's request timeout. */
    TIMEOUT,
    /** A watch request answered 500 instead of being opened. */
    WATCH_REFUSED
  }

  /**
   * Shares of requests that get each fault.
   *
   * @param conflicts share of writes answered 409
   * @param serverErrors share of other requests answered 500
   * @param slow share answered late but in time
   * @param timeouts share answered after the client's timeout
   * @param watchRefusals share of watch requests answered 500
   */
  record Rates(
      double conflicts, double serverErrors, double slow, double timeouts, double watchRefusals) {}

  private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
  private final Random random;
  private final Rates rates;
  private final Duration clientTimeout;

  ApiFaults(long seed, Rates rates, Duration clientTimeout) {
    this.random = new Random(seed);
    this.rates = rates;
    this.clientTimeout = clientTimeout;
    for (var kind : Kind.values()) {
      counts.put(kind, new AtomicLong());
    }
  }

  Map<Kind, Long> counts() {
    var result = new EnumMap<Kind, Long>(Kind.class);
    counts.forEach((k, v) -> result.put(k, v.get()));
    return result;
  }

  Optional<MockResponse> answer(RecordedRequest request) {
    var call = ApiCall.parse(request.getMethod(), request.getPath());
    if (call == null) {
      return Optional.empty();
    }
    double roll = random.nextDouble();
    if (call.verb().equals("watch")) {
      return roll < rates.watchRefusals()
          ? Optional.of(status(Kind.WATCH_REFUSED, 500, "InternalError", "watch refused"))
          : Optional.empty();
    }
    if (call.isWrite() && roll < rates.conflicts()) {
      return Optional.of(
          status(
              Kind.CONFLICT,
              409,
              "Conflict",
              "Operation cannot be fulfilled on "
                  + call.resource()
                  + " \\\""
                  + call.name()
                  + "\\\": the object has been modified; please apply your changes to the latest"
                  + " version and try again"));
    }
    if (random.nextDouble() < rates.serverErrors()) {
      return Optional.of(
          status(Kind.SERVER_ERROR, 500, "InternalError", "etcdserver: leader changed"));
    }
    return Optional.empty();
  }

  Optional<Duration> delay(RecordedRequest request) {
    double roll = random.nextDouble();
    if (roll < rates.timeouts()) {
      counts.get(Kind.TIMEOUT).incrementAndGet();
      return Optional.of(clientTimeout.plusMillis(500));
    }
    if (roll < rates.timeouts() + rates.slow()) {
      counts.get(Kind.SLOW).incrementAndGet();
      return Optional.of(Duration.ofMillis(200 + random.nextInt(700)));
    }
    return Optional.empty();
  }

  private MockResponse status(Kind kind, int code, String reason, String message) {
    counts.get(kind).incrementAndGet();
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\""
                + message
                + "\",\"reason\":\""
                + reason
                + "\",\"code\":"
                + code
                + "}");
  }
}
