package io.atomizer.operator.playground;

import io.atomizer.operator.AtomizerOperator;
import io.atomizer.operator.Subcommand;

/** {@code java -jar target/atomizer-operator.jar playground}: runs {@link Playground}. */
public final class PlaygroundCommand implements Subcommand {

  @Override
  public String name() {
    return AtomizerOperator.PLAYGROUND;
  }

  @Override
  public void run(String[] args) throws Exception {
    Playground.main(args);
  }
}
