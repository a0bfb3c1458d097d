package io.atomizer.operator.customresource;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.therapi.runtimejavadoc.Comment;
import com.github.therapi.runtimejavadoc.CommentText;
import com.github.therapi.runtimejavadoc.InlineLink;
import com.github.therapi.runtimejavadoc.InlineTag;
import com.github.therapi.runtimejavadoc.RuntimeJavadoc;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/**
 * Build-time only: copies the Javadoc of the custom resource model into the CRD's schema
 * descriptions while fabric8's CRD generator runs, so that the Javadoc is the single source of
 * every field's documentation ({@code kubectl explain atomizeragent.spec}). The Javadoc is kept in
 * the class files by the therapi annotation processor configured in the pom.
 */
public final class JavadocDescriptions implements SchemaCustomizer.Customizer {

  @Override
  public JSONSchemaProps apply(
      JSONSchemaProps root, String input, KubernetesSerialization serialization) {
    root.setDescription(text(RuntimeJavadoc.getJavadoc(AtomizerAgent.class).getComment()));
    describe(root.getProperties().get("spec"), AtomizerAgentSpec.class);
    describe(root.getProperties().get("status"), AtomizerAgentStatus.class);
    return root;
  }

  private static void describe(JSONSchemaProps schema, Type type) {
    if (schema == null) {
      return;
    }
    if (type instanceof ParameterizedType parameterized) {
      var raw = (Class<?>) parameterized.getRawType();
      var arguments = parameterized.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw) && schema.getItems() != null) {
        describe(schema.getItems().getSchema(), arguments[0]);
      } else if (Map.class.isAssignableFrom(raw) && schema.getAdditionalProperties() != null) {
        describe(schema.getAdditionalProperties().getSchema(), arguments[1]);
      }
      return;
    }
    if (!(type instanceof Class<?> clazz) || !isModelClass(clazz) || clazz.isEnum()) {
      return;
    }
    if (schema.getDescription() == null) {
      schema.setDescription(blankToNull(text(RuntimeJavadoc.getJavadoc(clazz).getComment())));
    }
    for (Field field : clazz.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      var property =
          schema.getProperties() == null ? null : schema.getProperties().get(jsonName(field));
      if (property == null) {
        continue;
      }
      property.setDescription(blankToNull(text(RuntimeJavadoc.getJavadoc(field).getComment())));
      describe(property, field.getGenericType());
    }
  }

  private static boolean isModelClass(Class<?> clazz) {
    return clazz.getPackageName().equals(JavadocDescriptions.class.getPackageName());
  }

  private static String jsonName(Field field) {
    var annotation = field.getAnnotation(JsonProperty.class);
    return annotation != null && !annotation.value().isEmpty()
        ? annotation.value()
        : field.getName();
  }

  /** Plain text of a Javadoc comment: inline tags by their value, entities decoded. */
  static String text(Comment comment) {
    var out = new StringBuilder();
    for (var element : comment) {
      if (element instanceof CommentText t) {
        out.append(t.getValue());
      } else if (element instanceof InlineTag tag) {
        out.append(tag.getValue());
      } else if (element instanceof InlineLink link) {
        var l = link.getLink();
        out.append(
            l.getLabel() != null
                ? l.getLabel()
                : l.getReferencedMemberName() != null
                    ? l.getReferencedMemberName()
                    : l.getReferencedClassName());
      }
    }
    return out.toString()
        .replaceAll("\\s+", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .trim();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
