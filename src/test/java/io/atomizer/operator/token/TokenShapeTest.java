package io.atomizer.operator.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Values that cannot be a bot token are recognised, real-looking tokens never are. */
class TokenShapeTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "MTA4NjQ0ODI2OTk5MTc2ODA3Mg.GhXyZa.abcdefghijklmnopqrstuvwxyz0123456789_-AB",
        "NzkyNzE1NDU0MTk2MDg4ODQy.X-hvzA.Ovy4MCQywSkoMRRclStW4xAYK7I",
        "MTA-fake-manager.GhXyZ.secret-token-value-manager",
        "playground-placeholder-MANAGER_TOKEN"
      })
  void tokensAndPlaceholdersPass(String token) {
    assertEquals(Optional.empty(), TokenShape.problem(token));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----",
        "Bot MTA4NjQ0.GhXyZa.abcdef",
        "MANAGER_TOKEN=abc.def.ghi\nTECH_LEAD_TOKEN=jkl.mno.pqr",
        "alpha bravo\ncharlie delta",
        "{\"secret\": \"abc.def.ghi\"}",
        "https://discord.com/api/webhooks/1/abc"
      })
  void valuesThatCannotBeATokenAreNamedWithoutQuotingThem(String value) {
    var problem = TokenShape.problem(value);
    assertTrue(problem.isPresent(), value);
    for (var part : value.split("[\\s=.:/\"{}]+")) {
      if (part.length() > 3 && !part.equals("BEGIN") && !part.equals("CERTIFICATE")) {
        assertFalse(problem.get().contains(part), "the value is not quoted: " + problem.get());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {257, 5000})
  void aValueFarLongerThanATokenIsNamedByItsLength(int length) {
    assertTrue(
        TokenShape.problem("a".repeat(length)).orElseThrow().contains(length + " characters"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"MANAGER_TOKEN=abc.def.ghi\nTECH_LEAD_TOKEN=jkl.mno.pqr"})
  void aWholeEnvFileSaysHowToCreateTheSecretInstead(String value) {
    assertTrue(TokenShape.problem(value).orElseThrow().contains("--from-env-file"));
  }
}
