package io.awaitj.samples;

/** The tour the README runs. A placeholder until the samples issue fills it in. */
public final class Tour {
  private Tour() {}

  /** Prints what the tour will show. */
  public static void main(String[] args) {
    System.out.println("awaitj tour: the samples arrive with the samples issue.");
  }
}
