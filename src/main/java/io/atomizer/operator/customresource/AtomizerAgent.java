package io.atomizer.operator.customresource;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One OpenClaw agent: a Discord bot with exactly one token, run as one pod with its own state
 * volume, sharing the team's workspaces volume.
 */
@Group(AtomizerAgent.GROUP)
@Version(AtomizerAgent.VERSION)
@Plural("atomizeragents")
@ShortNames({"aa", "atomagent"})
@Categories("atomizer")
@ValidationRule(
    value = "self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
    message = "metadata.name must be a DNS-1123 label: lower-case letters, digits and '-'")
@ValidationRule(
    value = "self.metadata.name.size() <= 57",
    message = "metadata.name must be at most 57 characters, so that '<name>-state' fits a label")
@AdditionalPrinterColumn(
    name = "Role",
    jsonPath = ".spec.role",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Status",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Restarts",
    jsonPath = ".status.pod.restartCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Inbox",
    jsonPath = ".status.inbox.pending",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Token",
    jsonPath = ".status.tokenFingerprint",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@SchemaCustomizer(JavadocDescriptions.class)
public class AtomizerAgent extends CustomResource<AtomizerAgentSpec, AtomizerAgentStatus>
    implements Namespaced {

  public static final String GROUP = "atomizer.io";
  public static final String VERSION = "v1alpha1";
}
