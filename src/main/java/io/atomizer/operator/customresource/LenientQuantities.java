package io.atomizer.operator.customresource;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.io.IOException;
import java.util.List;

/**
 * Reads the quantities inside the Kubernetes types an agent embeds (spec.resources, env divisors)
 * without failing on a value fabric8 cannot parse, such as {@code 1e100Gi}. The CRD schema of those
 * types takes any string, and fabric8's own reader throws on such a value: the whole agent, and
 * with it the operator's informer, would fail to read, and the operator would stop for every agent.
 * Here the value is kept as written; the operator's spec checks then answer it with Stalled=True.
 */
public final class LenientQuantities {

  private LenientQuantities() {}

  /** For spec.resources. */
  public static final class Resources extends JsonDeserializer<ResourceRequirements> {
    @Override
    public ResourceRequirements deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonNode tree = parser.getCodec().readTree(parser);
      if (tree instanceof ObjectNode resources) {
        rawValues(resources.get("limits"));
        rawValues(resources.get("requests"));
      }
      return parser.getCodec().treeToValue(tree, ResourceRequirements.class);
    }
  }

  /** For spec.env: the divisor of a resourceFieldRef is a quantity too. */
  public static final class Env extends JsonDeserializer<List<EnvVar>> {
    @Override
    public List<EnvVar> deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonNode tree = parser.getCodec().readTree(parser);
      if (tree.isArray()) {
        for (var env : tree) {
          var ref = env.path("valueFrom").path("resourceFieldRef");
          if (ref instanceof ObjectNode fieldRef && fieldRef.has("divisor")) {
            fieldRef.set("divisor", raw(fieldRef.get("divisor")));
          }
        }
      }
      return parser
          .getCodec()
          .readValue(parser.getCodec().treeAsTokens(tree), new TypeReference<List<EnvVar>>() {});
    }
  }

  private static void rawValues(JsonNode map) {
    if (map instanceof ObjectNode quantities) {
      quantities.properties().forEach(e -> e.setValue(raw(e.getValue())));
    }
  }

  /** The quantity as fabric8 reads it, or as {amount: text, format: ""} when it cannot. */
  private static JsonNode raw(JsonNode quantity) {
    if (!quantity.isTextual()) {
      return quantity;
    }
    try {
      Quantity.parse(quantity.asText());
      return quantity;
    } catch (IllegalArgumentException unparseable) {
      return JsonNodeFactory.instance
          .objectNode()
          .put("amount", quantity.asText())
          .put("format", "");
    }
  }
}
