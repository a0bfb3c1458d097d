package io.atomizer.operator;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A command of {@code java -jar atomizer-operator.jar <name>} that lives outside the operator's
 * classes, found through {@link ServiceLoader}. The playground is one: it sits in its own jar
 * (target/atomizer-operator-playground.jar, on the operator jar's manifest Class-Path), so that
 * neither it nor fabric8's mock API server is part of the operator's jar or image.
 */
public interface Subcommand {

  /** The first argument that selects this command. */
  String name();

  /** Runs the command with the arguments after its name. */
  void run(String[] args) throws Exception;

  /** The command called {@code name} on the class path, if any. */
  static Optional<Subcommand> find(String name) {
    return ServiceLoader.load(Subcommand.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(command -> command.name().equals(name))
        .findFirst();
  }
}
