package io.awaitj.processor.hostile;

import io.awaitj.processor.Compiled;
import io.awaitj.processor.ConstructsTest;
import io.awaitj.processor.Differential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The valid programs the mutation fuzzer starts from: each case of {@link ConstructsTest#CASES} in a
 * class of its own (with the shared helpers), every text block of the processor's other tests that
 * holds a whole compilation unit with an {@code @Async} method (with the usual imports of package
 * {@code demo} when it has no package clause), and the programs of {@link HostileCorpusTest} that
 * must compile. Blocks written to fail are left out here, each by name and with its reason ({@link
 * #NOT_SEEDS}), and {@link MutationFuzzTest} checks that every seed compiles.
 */
final class Seeds {
  private Seeds() {}

  /**
   * One seed: the file's qualified name, its text, and the part of the text most mutations go to
   * ({@code focusStart} to {@code focusEnd}; the whole text when nothing narrower is known).
   */
  record Seed(String name, String qualifiedName, String source, int focusStart, int focusEnd) {}

  /** The tests whose text blocks are read, relative to the module's directory. */
  static final Path TEST_SOURCES = Path.of("src", "test", "java", "io", "awaitj", "processor");

  /** Tests whose text blocks are written to be rejected: each tests an error message. */
  static final Set<String> REJECTING_TESTS = Set.of("DiagnosticsTest.java", "GeneratorDiagnosticsTest.java");

  /**
   * Text blocks of the other tests that are not valid programs on their own, by seed name, each with
   * the reason. Every other block with an {@code @Async} method must compile ({@link
   * MutationFuzzTest} checks each), and each name here must name a block (no stale entry).
   */
  static final Map<String, String> NOT_SEEDS = Map.ofEntries(
      Map.entry("ConstructsTest#1", "the members shared by the cases, not a compilation unit"),
      Map.entry("EdgeCasesTest#4", "extends Base, another block of its test"),
      Map.entry("EdgeCasesTest#6", "extends Base and implements Loud, other blocks of its test"),
      Map.entry("EdgeCasesTest#16", "a sealed class that does not permit DemoAsync: awaitj's error"),
      Map.entry("EdgeCasesTest#17", "compiled without an import, on purpose"),
      Map.entry("EdgeCasesTest#18", "compiled without an import, on purpose"),
      Map.entry("EdgeCasesTest#19", "an unresolved result type, on purpose"),
      Map.entry("EdgeCasesTest#20", "an unresolved super call, on purpose"),
      Map.entry("EdgeCasesTest#21", "an abstract @Async interface method: awaitj's error"),
      Map.entry("EdgeCasesTest#24", "an unresolved thrown type in a mirrored constructor, on purpose"),
      Map.entry("EdgeCasesTest#25", "an unresolved parameter type in a mirrored constructor, on purpose"),
      Map.entry("EdgeCasesTest#27", "a lambda's variable and a label named like the step's: awaitj's error"),
      Map.entry("ExceptionsTest#2", "extends FetcherAsync, generated from another block of its test"),
      Map.entry("ExceptionsTest#4", "a non-literal class argument of await: awaitj's error, on purpose"),
      Map.entry("ExceptionsTest#5", "the start of a class its tests complete"),
      Map.entry("ExceptionsTest#6", "a catch of IOException around the plain await: javac's error, on purpose"),
      Map.entry("ExceptionsTest#8", "widens the throws clause of an XAsync method: javac's error, on purpose"),
      Map.entry("GeneratedSourceTest#7", "needs AutoValue on the class path"),
      Map.entry("HardeningTest#3", "an anonymous-class variable: awaitj's error, on purpose"),
      Map.entry("HardeningTest#5", "a broken import, on purpose"),
      Map.entry("HardeningTest#6", "records with canonical constructors: awaitj's error, on purpose"),
      Map.entry("LibraryTest#2", "uses package lib, compiled before it in its test"),
      Map.entry("MisuseScannerTest#1", "the start of a class its test completes"),
      Map.entry("MisuseScannerTest#22", "uses package lib, compiled before it in its test"),
      Map.entry("MisuseScannerTest#28", "a final class with instance @Async methods: awaitj's error"),
      Map.entry("PatternSwitchTest#1", "patterns in switch statements, a preview feature on JDK 17"),
      Map.entry("PatternSwitchTest#2", "patterns in switch statements, a preview feature on JDK 17"),
      Map.entry("PrivateMembersTest#3", "extends sup.Base, another block of its test"),
      Map.entry("RoundsTest#1", "uses SquareAsync and CircleAsync, generated from other blocks of its test"),
      Map.entry("RoundsTest#2", "extends ShapeAsync, generated from another block of its test"),
      Map.entry("RoundsTest#4", "uses Gen, which a processor of its test generates, and MakerAsync"),
      Map.entry("RoundsTest#5", "uses Gen, which a processor of its test generates"),
      Map.entry("RoundsTest#6", "classes nobody generates, on purpose"),
      Map.entry("RoundsTest#7", "javac's error and awaitj's in one body, on purpose"),
      Map.entry("RoundsTest#8", "javac's error and awaitj's in one body, on purpose"),
      Map.entry("RoundsTest#9", "javac's error, on purpose"),
      Map.entry("RoundsTest#10", "an @Async method that returns int: awaitj's error, on purpose"),
      Map.entry("RoundsTest#11", "javac's error and awaitj's in one class, on purpose"),
      Map.entry("RoundsTest#13", "uses SquareAsync, generated from another block of its test"),
      Map.entry("RoundsTest#14", "an unresolved parameter type, on purpose"),
      Map.entry("RoundsTest#15", "an @Async method that returns int: awaitj's error, on purpose"),
      Map.entry("RoundsTest#16", "an @Async method that returns int: awaitj's error, on purpose"),
      Map.entry("ShapesTest#3", "implements Greeter, another block of its test"),
      Map.entry("ShapesTest#7", "extends Base, another block of its test"),
      Map.entry("ShapesTest#8", "extends BaseAsync, generated from another block of its test"));

  private static final Pattern TEXT_BLOCK =
      Pattern.compile("\"\"\"[ \\t]*\\n(.*?)(?<!\\\\)\"\"\"", Pattern.DOTALL);

  /** All seeds, in a fixed order. */
  static List<Seed> all() {
    List<Seed> out = new ArrayList<>();
    String extra = ConstructsTest.EXTRA + ConstructsTest.EXTRA_INCREMENT;
    for (Differential.Case c : ConstructsTest.CASES) {
      String source = Differential.source("a", true, List.of(c), extra);
      String body = c.body().indent(4);
      int start = source.indexOf(body);
      int end = start < 0 ? source.length() : start + body.length();
      out.add(new Seed("ConstructsTest." + c.name(), "a.Subject", source, Math.max(start, 0), end));
    }
    out.addAll(textBlocks());
    for (HostileCorpusTest.Entry e : HostileCorpusTest.CORPUS) {
      if (e.origin() == HostileCorpusTest.Origin.NONE && e.sources().size() == 1) {
        String unit = e.sources().get(0);
        out.add(new Seed("HostileCorpusTest." + e.name(), Hostile.qualifiedName(unit), unit, 0, unit.length()));
      }
    }
    return out;
  }

  /** The whole units among the text blocks of the tests beside this package. */
  static List<Seed> textBlocks() {
    return textBlocks(new HashSet<>());
  }

  /** As {@link #textBlocks()}; {@code named} receives the names of all blocks, {@link #NOT_SEEDS} too. */
  static List<Seed> textBlocks(Set<String> named) {
    List<Seed> out = new ArrayList<>();
    if (!Files.isDirectory(TEST_SOURCES)) {
      return out; // not run from the module's directory: the cases of ConstructsTest only
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(TEST_SOURCES)) {
      files = s.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !REJECTING_TESTS.contains(p.getFileName().toString())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Matcher m = TEXT_BLOCK.matcher(text);
      int index = 0;
      while (m.find()) {
        index++;
        String block;
        try {
          block = m.group(1).stripIndent().translateEscapes();
        } catch (IllegalArgumentException badEscape) {
          continue;
        }
        if (!block.contains("@Async")) {
          continue;
        }
        String unit = block.startsWith("package ") ? block : HostileCorpusTest.demo(block);
        String qualified;
        try {
          qualified = Compiled.qualifiedName(unit);
        } catch (IllegalArgumentException noType) {
          continue; // a fragment (members of a class written elsewhere)
        }
        String name = file.getFileName().toString().replace(".java", "") + "#" + index;
        named.add(name);
        if (!NOT_SEEDS.containsKey(name)) {
          out.add(new Seed(name, qualified, unit, 0, unit.length()));
        }
      }
    }
    return out;
  }
}
