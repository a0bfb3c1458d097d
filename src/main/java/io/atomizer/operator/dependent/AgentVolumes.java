package io.atomizer.operator.dependent;

import io.atomizer.operator.customresource.AtomizerAgent;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/** The agent pod's volumes: private state, shared workspaces, optional skills and config, /tmp. */
final class AgentVolumes {

  static final String STATE = "state";
  static final String WORKSPACES = "workspaces";
  static final String SKILLS = "skills";
  static final String CONFIG = "config";
  static final String TMP = "tmp";

  private AgentVolumes() {}

  static List<Volume> volumes(AtomizerAgent agent) {
    var spec = agent.getSpec();
    var volumes = new ArrayList<Volume>();
    volumes.add(claim(STATE, StatePersistentVolumeClaim.nameFor(agent), false));
    volumes.add(claim(WORKSPACES, spec.getWorkspaces().getClaimName(), false));
    if (spec.getSkills() != null) {
      volumes.add(
          claim(
              SKILLS,
              spec.getSkills().getClaimName(),
              !Boolean.FALSE.equals(spec.getSkills().getReadOnly())));
    }
    if (spec.getConfig() != null) {
      volumes.add(
          new VolumeBuilder()
              .withName(CONFIG)
              .withNewConfigMap()
              .withName(spec.getConfig().getConfigMapName())
              .endConfigMap()
              .build());
    }
    volumes.add(new VolumeBuilder().withName(TMP).withNewEmptyDir().endEmptyDir().build());
    return volumes;
  }

  static List<VolumeMount> mounts(AtomizerAgent agent) {
    var spec = agent.getSpec();
    var mounts = new ArrayList<VolumeMount>();
    mounts.add(stateMount(agent));
    mounts.add(workspacesMount(agent));
    if (spec.getSkills() != null) {
      mounts.add(
          mount(
              SKILLS,
              spec.getSkills().getMountPath(),
              !Boolean.FALSE.equals(spec.getSkills().getReadOnly())));
    }
    if (spec.getConfig() != null) {
      mounts.add(mount(CONFIG, spec.getConfig().getMountPath(), true));
    }
    mounts.add(mount(TMP, "/tmp", false));
    return mounts;
  }

  static VolumeMount stateMount(AtomizerAgent agent) {
    return mount(STATE, agent.getSpec().getState().getMountPath(), false);
  }

  static VolumeMount workspacesMount(AtomizerAgent agent) {
    return mount(WORKSPACES, agent.getSpec().getWorkspaces().getMountPath(), false);
  }

  private static Volume claim(String name, String claimName, boolean readOnly) {
    return new VolumeBuilder()
        .withName(name)
        .withNewPersistentVolumeClaim(claimName, readOnly ? true : null)
        .build();
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(name)
        .withMountPath(path)
        .withReadOnly(readOnly ? true : null)
        .build();
  }
}
