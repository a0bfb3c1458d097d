package io.atomizer.operator.plan;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.atomizer.operator.customresource.Patterns;
import io.atomizer.operator.inbox.InboxRules;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The operator's own checks of a spec. The CRD schema rejects most bad input at apply time; these
 * repeat what the operator relies on (an older CRD, or a cluster without CEL, may let it through)
 * and add what a schema cannot see, such as resource quantities inside embedded Kubernetes types.
 */
public final class SpecChecks {

  private static final Pattern LABEL = Pattern.compile(Patterns.DNS1123_LABEL);
  private static final Pattern SUBDOMAIN = Pattern.compile(Patterns.DNS1123_SUBDOMAIN);
  private static final Pattern PATH = Pattern.compile(Patterns.ABSOLUTE_PATH);
  private static final Pattern SEGMENT = Pattern.compile(Patterns.PATH_SEGMENT);
  private static final Pattern ENV = Pattern.compile(Patterns.ENV_NAME);
  private static final Pattern DATA_KEY = Pattern.compile(Patterns.DATA_KEY);
  private static final Pattern QUANTITY = Pattern.compile(Patterns.SIGNED_QUANTITY);
  private static final BigDecimal LARGEST = BigDecimal.valueOf(Long.MAX_VALUE);

  private SpecChecks() {}

  /** Every problem found, each naming the field and what to do; empty when the spec is usable. */
  public static List<String> problems(AtomizerAgent agent) {
    var problems = new ArrayList<String>();
    var name = agent.getMetadata().getName();
    if (!LABEL.matcher(name).matches() || name.length() > 57) {
      problems.add("metadata.name must be a DNS-1123 label of at most 57 characters.");
    }
    var spec = agent.getSpec();
    if (spec == null) {
      problems.add("spec is required.");
      return problems;
    }
    check(
        problems,
        spec.getRole() != null && LABEL.matcher(spec.getRole()).matches(),
        "spec.role is required and must be a DNS-1123 label, for example tech-lead.");
    var token = spec.getToken();
    if (token == null) {
      problems.add("spec.token is required: the Secret name and key of the agent's Discord token.");
    } else {
      check(
          problems,
          matches(SUBDOMAIN, token.getSecretName()),
          "spec.token.secretName must name a Secret in the agent's namespace.");
      check(
          problems,
          matches(DATA_KEY, token.getKey()),
          "spec.token.key must be a Secret key such as TECH_LEAD_TOKEN.");
      check(
          problems,
          matches(ENV, token.getEnvName()),
          "spec.token.envName must be an environment variable name.");
    }
    var workspaces = spec.getWorkspaces();
    var mounts = new HashMap<String, String>();
    if (workspaces == null) {
      problems.add("spec.workspaces is required: the claim of the shared workspaces volume.");
    } else {
      check(
          problems,
          matches(SUBDOMAIN, workspaces.getClaimName()),
          "spec.workspaces.claimName must name a PersistentVolumeClaim.");
      check(
          problems,
          workspaces.getAgentDir() == null || SEGMENT.matcher(workspaces.getAgentDir()).matches(),
          "spec.workspaces.agentDir must be one directory name: no '/', not '.' or '..'.");
      mountPath(problems, mounts, "spec.workspaces.mountPath", workspaces.getMountPath());
    }
    var state = spec.getState();
    mountPath(problems, mounts, "spec.state.mountPath", state.getMountPath());
    positiveQuantity(problems, "spec.state.size", state.getSize());
    if (spec.getSkills() != null) {
      mountPath(problems, mounts, "spec.skills.mountPath", spec.getSkills().getMountPath());
    }
    if (spec.getConfig() != null) {
      mountPath(problems, mounts, "spec.config.mountPath", spec.getConfig().getMountPath());
    }
    if (spec.getResources() != null) {
      resourceMap(problems, "spec.resources.requests", spec.getResources().getRequests());
      resourceMap(problems, "spec.resources.limits", spec.getResources().getLimits());
      MemoryFloor.check(problems, spec.getResources());
    }
    problems.addAll(InboxRules.specProblems(spec.getInbox()));
    if (spec.getEnv() != null) {
      for (int i = 0; i < spec.getEnv().size(); i++) {
        var from = spec.getEnv().get(i).getValueFrom();
        var divisor =
            from == null || from.getResourceFieldRef() == null
                ? null
                : from.getResourceFieldRef().getDivisor();
        if (divisor != null) {
          resourceMap(
              problems,
              "spec.env[" + i + "].valueFrom.resourceFieldRef",
              Map.of("divisor", divisor));
        }
      }
    }
    if (spec.getEnvFrom() != null && token != null && token.getSecretName() != null) {
      check(
          problems,
          spec.getEnvFrom().stream()
              .noneMatch(
                  e ->
                      e.getSecretRef() != null
                          && token.getSecretName().equals(e.getSecretRef().getName())),
          "spec.envFrom must not import the token Secret "
              + token.getSecretName()
              + ": every agent's token would be in this pod; read single keys with spec.env.");
    }
    if (spec.getEnv() != null && token != null && token.getEnvName() != null) {
      check(
          problems,
          spec.getEnv().stream().noneMatch(e -> token.getEnvName().equals(e.getName())),
          "spec.env must not set "
              + token.getEnvName()
              + ": the token comes only from spec.token.");
    }
    return problems;
  }

  private static void mountPath(
      List<String> problems, Map<String, String> seen, String field, String path) {
    if (!matches(PATH, path)) {
      problems.add(field + " must be an absolute path without '.' or '..' segments.");
    } else if (seen.putIfAbsent(path, field) != null) {
      problems.add(field + " must differ from " + seen.get(path) + ".");
    }
  }

  private static void positiveQuantity(List<String> problems, String field, String value) {
    try {
      if (value == null || Quantity.getAmountInBytes(new Quantity(value)).signum() <= 0) {
        problems.add(field + " must be a positive quantity such as 1Gi.");
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      problems.add(field + " must be a quantity such as 1Gi, not '" + value + "'.");
    }
  }

  /**
   * Quantities inside Kubernetes' own resources type: the CRD schema takes any string there, and a
   * pod with one the API server cannot parse (such as 1e100Gi) would fail on every retry.
   */
  private static void resourceMap(List<String> problems, String field, Map<String, Quantity> map) {
    if (map == null) {
      return;
    }
    map.forEach(
        (resource, quantity) -> {
          var name = field + "." + resource;
          try {
            if (quantity == null || !QUANTITY.matcher(quantity.toString()).matches()) {
              problems.add(name + " must be a quantity such as 512Mi.");
              return;
            }
            var amount = Quantity.getAmountInBytes(quantity);
            if (amount.compareTo(BigDecimal.ZERO) < 0) {
              problems.add(name + " must not be negative.");
            } else if (amount.compareTo(LARGEST) > 0) {
              problems.add(name + " is larger than any node; use a quantity such as 2Gi.");
            }
          } catch (IllegalArgumentException | ArithmeticException e) {
            problems.add(name + " must be a quantity such as 512Mi.");
          }
        });
  }

  private static boolean matches(Pattern pattern, String value) {
    return value != null && pattern.matcher(value).matches();
  }

  private static void check(List<String> problems, boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }
}
