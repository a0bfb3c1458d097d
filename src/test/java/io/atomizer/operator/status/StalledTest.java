package io.atomizer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stalled: True with Ready's reason exactly when Ready waits for a human. */
class StalledTest {

  @ParameterizedTest(name = "Ready {0} {1} -> Stalled {2} {3}")
  @CsvSource({
    // ready,  readyReason,            status, reason
    "True,     Running,                False,  NotStalled",
    "False,    InvalidSpec,            True,   InvalidSpec",
    "False,    SecretNotFound,         True,   SecretNotFound",
    "False,    KeyNotFound,            True,   KeyNotFound",
    "False,    MalformedToken,         True,   MalformedToken",
    "False,    DuplicateToken,         True,   DuplicateToken",
    "False,    TokenInEnv,             True,   TokenInEnv",
    "False,    InvalidToken,           True,   InvalidToken",
    "False,    WorkspaceClaimNotFound, True,   WorkspaceClaimNotFound",
    "False,    SkillsClaimNotFound,    True,   SkillsClaimNotFound",
    "False,    DuplicateAgentDir,      True,   DuplicateAgentDir",
    "False,    ClaimLost,              True,   ClaimLost",
    "False,    ImagePullBackOff,       True,   ImagePullBackOff",
    "False,    CrashLoopBackOff,       True,   CrashLoopBackOff",
    "False,    OOMKilled,              True,   OOMKilled",
    "False,    PluginNotInstalled,     True,   PluginNotInstalled",
    "False,    PluginNotLoaded,        True,   PluginNotLoaded",
    "False,    DiscordNotConfigured,   True,   DiscordNotConfigured",
    "False,    Progressing,            False,  NotStalled",
    "False,    WaitingForTokenRelease, False,  NotStalled",
    "False,    Connecting,             False,  NotStalled",
    "False,    Disconnected,           False,  NotStalled",
    "False,    NotReady,               False,  NotStalled",
  })
  void decides(String ready, String readyReason, String status, String reason) {
    var value = Stalled.decide(new ConditionValue(ready, readyReason, "why"));

    assertEquals(status, value.status());
    assertEquals(reason, value.reason());
  }
}
