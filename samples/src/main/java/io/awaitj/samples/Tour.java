package io.awaitj.samples;

import io.awaitj.EventLoop;
import io.awaitj.samples.Samples.Sample;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The tour: runs every sample in order, each under a header, on the real clock; or only the samples
 * named as arguments or by {@code -Dsample=Name[,Name...]} (case-insensitive). Run it with
 * {@code samples/run.sh [Name...]} (quiet), or {@code mvn -Ptour package} (Maven's log around it).
 * Each sample's class also has a {@code main} of its own.
 */
public final class Tour {
  private Tour() {}

  /** Runs the samples called {@code names} (all of them if empty), each on a loop of {@code newLoop}. */
  public static void run(List<String> names, PrintStream out, Supplier<EventLoop> newLoop)
      throws Exception {
    List<Sample> chosen = new ArrayList<>();
    if (names.isEmpty()) {
      chosen.addAll(Samples.ALL);
    } else {
      for (String n : names) {
        chosen.add(Samples.named(n));
      }
    }
    out.println("awaitj tour: " + chosen.size() + " sample" + (chosen.size() == 1 ? "" : "s"));
    for (Sample s : chosen) {
      out.println();
      out.println("== " + (Samples.ALL.indexOf(s) + 1) + ". " + s.name() + ": " + s.idiom()
          + " (" + s.type().getName().replace('.', '/') + ".java)");
      s.run(out, newLoop);
    }
  }

  public static void main(String[] args) throws Exception {
    List<String> names = new ArrayList<>(List.of(args));
    String property = System.getProperty("sample", "").trim();
    if (!property.isEmpty()) {
      names.addAll(List.of(property.split("[,\\s]+")));
    }
    try {
      run(names, System.out, EventLoop::create);
    } catch (IllegalArgumentException e) { // an unknown name: say which names there are
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }
}
