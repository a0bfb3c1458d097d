package io.atomizer.operator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Kubernetes manifests strictly: every document must be of a kind fabric8 has a model class
 * for, and every field must be one that class knows. fabric8's models keep unknown fields in an
 * {@code additionalProperties} map and plain classes drop them silently; both are errors here, so a
 * misspelled field fails the test instead of being ignored by the API server.
 */
public final class Manifests {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = serialization();

  private Manifests() {}

  private static KubernetesSerialization serialization() {
    var serialization = new KubernetesSerialization();
    serialization.registerKubernetesResource(AtomizerAgent.class);
    return serialization;
  }

  /** The non-empty YAML documents of {@code yaml}, as trees. */
  public static List<JsonNode> documents(String yaml) {
    try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
      var docs = new ArrayList<JsonNode>();
      Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        var doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<JsonNode> documents(Path file) {
    try {
      return documents(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of {@code yaml} as its fabric8 type; fails on unknown kinds and fields. */
  public static List<HasMetadata> typed(String yaml) {
    return documents(yaml).stream().map(Manifests::typed).toList();
  }

  /** One document as its fabric8 type; fails on an unknown kind or an unknown field. */
  public static HasMetadata typed(JsonNode doc) {
    var apiVersion = doc.path("apiVersion").asText();
    var kind = doc.path("kind").asText();
    var type = SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind);
    if (type == null || !HasMetadata.class.isAssignableFrom(type)) {
      throw new AssertionError("no fabric8 model for " + apiVersion + " " + kind + ":\n" + doc);
    }
    var object = (HasMetadata) SERIALIZATION.convertValue(doc, type);
    var name = kind + " " + doc.path("metadata").path("name").asText();
    var unknown = new ArrayList<String>();
    unknownFields(object, kind, unknown, new IdentityHashMap<>());
    if (!unknown.isEmpty()) {
      throw new AssertionError(name + " has fields its type does not know: " + unknown);
    }
    var roundTrip = YAML.valueToTree(SERIALIZATION.convertValue(object, Map.class));
    var dropped = new ArrayList<String>();
    dropped(doc, roundTrip, "", dropped);
    if (!dropped.isEmpty()) {
      throw new AssertionError(
          name + ": fields lost in parsing (unknown to the model): " + dropped);
    }
    return object;
  }

  /** Paths of {@code original} that are missing or different in {@code parsed}. */
  private static void dropped(JsonNode original, JsonNode parsed, String path, List<String> out) {
    if (original instanceof ObjectNode object) {
      object
          .fields()
          .forEachRemaining(
              e -> dropped(e.getValue(), parsed.path(e.getKey()), path + "." + e.getKey(), out));
    } else if (original.isArray()) {
      for (int i = 0; i < original.size(); i++) {
        dropped(original.get(i), parsed.path(i), path + "[" + i + "]", out);
      }
    } else if (parsed.isMissingNode() || !original.asText().equals(parsed.asText())) {
      out.add(path);
    }
  }

  /** Collects the paths of non-empty additionalProperties maps in a fabric8 object graph. */
  private static void unknownFields(
      Object value, String path, List<String> out, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (var item : list) {
        unknownFields(item, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, out, seen));
      return;
    }
    var type = value.getClass();
    if (!isModel(type)) {
      return;
    }
    for (var c = type; c != null && isModel(c); c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        Object child;
        try {
          child = field.get(value);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        if (field.getName().equals("additionalProperties") && child instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> out.add(path + "." + k));
        } else {
          unknownFields(child, path + "." + field.getName(), out, seen);
        }
      }
    }
  }

  private static boolean isModel(Class<?> type) {
    var name = type.getName();
    return (name.startsWith("io.fabric8.") || name.startsWith("io.atomizer."))
        && !Set.of(
                "io.fabric8.kubernetes.api.model.Quantity",
                "io.fabric8.kubernetes.api.model.IntOrString")
            .contains(name);
  }
}
