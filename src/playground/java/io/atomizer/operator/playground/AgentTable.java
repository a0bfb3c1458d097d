package io.atomizer.operator.playground;

import io.atomizer.operator.customresource.AtomizerAgent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Renders agents the way {@code kubectl get atomizeragents} prints its printer columns. */
public final class AgentTable {

  static final List<String> HEADER =
      List.of("NAME", "ROLE", "READY", "STATUS", "RESTARTS", "INBOX", "AGE");

  private AgentTable() {}

  public static String render(List<AtomizerAgent> agents, Instant now) {
    var rows = new ArrayList<List<String>>();
    rows.add(HEADER);
    agents.stream()
        .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
        .forEach(a -> rows.add(row(a, now)));
    return align(rows);
  }

  /** Every cell but AGE, to tell whether anything but time changed. */
  public static List<List<String>> withoutAge(List<AtomizerAgent> agents) {
    return agents.stream()
        .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
        .map(a -> row(a, Instant.EPOCH).subList(0, HEADER.size() - 1))
        .toList();
  }

  static List<String> row(AtomizerAgent agent, Instant now) {
    var status = agent.getStatus();
    var ready = status == null ? null : status.condition("Ready").orElse(null);
    return List.of(
        agent.getMetadata().getName(),
        orNone(agent.getSpec() == null ? null : agent.getSpec().getRole()),
        orNone(ready == null ? null : ready.getStatus()),
        orNone(ready == null ? null : ready.getReason()),
        orNone(
            status == null || status.getPod() == null ? null : status.getPod().getRestartCount()),
        orNone(status == null || status.getInbox() == null ? null : status.getInbox().getPending()),
        age(agent.getMetadata().getCreationTimestamp(), now));
  }

  /** kubectl's human-readable age: 45s, 3m20s, 2h5m, 4d. */
  static String age(String created, Instant now) {
    if (created == null) {
      return "<unknown>";
    }
    var d = Duration.between(Instant.parse(created), now);
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    long s = d.toSeconds();
    if (s < 120) {
      return s + "s";
    }
    if (s < 600) {
      return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
    if (s < 3 * 3600) {
      return (s / 60) + "m";
    }
    if (s < 8 * 3600) {
      return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : ((s % 3600) / 60) + "m");
    }
    if (s < 48 * 3600) {
      return (s / 3600) + "h";
    }
    return (s / 86400) + "d";
  }

  private static String orNone(Object value) {
    return value == null ? "<none>" : value.toString();
  }

  private static String align(List<List<String>> rows) {
    var widths = new int[HEADER.size()];
    rows.forEach(
        r -> {
          for (int i = 0; i < r.size(); i++) {
            widths[i] = Math.max(widths[i], r.get(i).length());
          }
        });
    var out = new StringBuilder();
    for (var r : rows) {
      var line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        line.append(
            i == r.size() - 1 ? r.get(i) : String.format("%-" + (widths[i] + 3) + "s", r.get(i)));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
