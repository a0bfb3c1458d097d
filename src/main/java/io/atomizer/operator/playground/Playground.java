package io.atomizer.operator.playground;

/** Placeholder until the playground lands. */
public final class Playground {
  private Playground() {}

  public static void main(String[] args) {
    throw new UnsupportedOperationException("the playground is not built yet");
  }
}
