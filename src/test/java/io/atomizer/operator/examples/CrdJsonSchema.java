package io.atomizer.operator.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The AtomizerAgent CRD's openAPIV3Schema as a JSON Schema (draft-07), to validate manifests
 * without a cluster. The structural OpenAPI subset the CRD uses is JSON Schema already; this adds
 * what the API server does beyond it and drops what a JSON Schema validator cannot do:
 *
 * <ul>
 *   <li>objects with declared properties get {@code additionalProperties: false}, unless marked
 *       x-kubernetes-preserve-unknown-fields: kubectl's default strict field validation makes an
 *       unknown field an error, rather than letting the server prune it;
 *   <li>x-kubernetes-* keys are dropped: list and map types and int-or-string are structural hints
 *       (int-or-string comes with its own anyOf), and x-kubernetes-validations are CEL rules, which
 *       only the real API server can evaluate (the end-to-end tier checks those);
 *   <li>{@code format} is dropped, as OpenAPI formats such as int32 are not JSON Schema formats.
 * </ul>
 */
final class CrdJsonSchema {

  static final Path CRD = Path.of("crds/atomizeragents.atomizer.io-v1.yml");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonSchema schema;

  private CrdJsonSchema(JsonSchema schema) {
    this.schema = schema;
  }

  /** The schema of the CRD's only version. */
  static CrdJsonSchema load() {
    try {
      var crd = YAML.readTree(CRD.toFile());
      var versions = crd.path("spec").path("versions");
      if (versions.size() != 1) {
        throw new IllegalStateException("expected one version in " + CRD);
      }
      var openApi = versions.get(0).path("schema").path("openAPIV3Schema").deepCopy();
      var converted = (ObjectNode) convert(openApi);
      converted.put("$schema", "http://json-schema.org/draft-07/schema#");
      // the envelope is the API server's: the group/version and kind, a metadata with a name
      var properties = converted.withObject("properties");
      properties.set("apiVersion", YAML.readTree("{const: atomizer.io/v1alpha1}"));
      properties.set("kind", YAML.readTree("{const: AtomizerAgent}"));
      properties.set("metadata", YAML.readTree("{type: object, required: [name]}"));
      converted.set(
          "required", YAML.valueToTree(List.of("apiVersion", "kind", "metadata", "spec")));
      var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
      return new CrdJsonSchema(factory.getSchema(converted));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The problems of {@code manifest}, as "path: message" lines; empty when it is valid. */
  List<String> problems(JsonNode manifest) {
    return schema.validate(manifest).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  private static JsonNode convert(JsonNode node) {
    if (node instanceof ArrayNode array) {
      var result = YAML.createArrayNode();
      array.forEach(item -> result.add(convert(item)));
      return result;
    }
    if (!(node instanceof ObjectNode object)) {
      return node;
    }
    var result = YAML.createObjectNode();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      var key = e.getKey();
      if (key.startsWith("x-kubernetes-") || key.equals("format")) {
        continue;
      }
      if (key.equals("properties")) {
        var properties = YAML.createObjectNode();
        e.getValue().properties().forEach(p -> properties.set(p.getKey(), convert(p.getValue())));
        result.set(key, properties);
      } else {
        result.set(key, convert(e.getValue()));
      }
    }
    var preserveUnknown = object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (object.has("properties") && !object.has("additionalProperties") && !preserveUnknown) {
      result.put("additionalProperties", false);
    }
    return result;
  }
}
