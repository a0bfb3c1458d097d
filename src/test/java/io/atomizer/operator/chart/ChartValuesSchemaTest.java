package io.atomizer.operator.chart;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json turns bad values away before anything is rendered, naming the value. */
class ChartValuesSchemaTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          negative workspaces size        | workspaces: {mode: create, size: -5Gi}              | /workspaces/size
          size without a number           | workspaces: {mode: create, size: Gi}                | /workspaces/size
          unknown top-level key           | replicas: 2                                         | 'replicas' not allowed
          misspelled nested key           | workspaces: {claimname: x}                          | 'claimname' not allowed
          existingClaim without claimName | workspaces: {mode: existingClaim, claimName: null}  | claimName
          existingClaim with empty name   | workspaces: {mode: existingClaim, claimName: ''}    | /workspaces/claimName
          unknown workspaces mode         | workspaces: {mode: nfs}                             | /workspaces/mode
          zero replicas                   | replicaCount: 0                                     | /replicaCount
          negative memory limit           | resources: {limits: {memory: -192Mi}}               | /resources/limits/memory
          agent without a spec            | agents: [{name: manager}]                           | spec
          agent name not a DNS label      | agents: [{name: Manager_1, spec: {}}]               | /agents/0/name
          bad pull policy                 | image: {pullPolicy: Sometimes}                      | /image/pullPolicy
          """)
  void badValuesAreRejectedNamingTheValue(String what, String values, String mentioned) {
    var error = assertThrows(IllegalStateException.class, () -> HelmChart.template(values + "\n"));
    assertTrue(
        error.getMessage().contains("values don't meet the specifications of the schema")
            && error.getMessage().contains(mentioned),
        what + ": " + error.getMessage());
  }
}
