package io.awaitj.processor.hostile;

import io.awaitj.processor.Compiled;
import io.awaitj.processor.ConstructsTest;
import io.awaitj.processor.Differential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 * #NOT_SEEDS}), and {@link MutationFuzzTest} checks that every seed compiles. A block is named after
 * its test and the member that holds it ({@code EdgeCasesTest.javacsOwnErrorIsTheOnlyOne#2}: the
 * second block of that method), not by its position in the file, so that adding a test renames no
 * other block.
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
      Map.entry("ConstructsTest.EXTRA", "the members shared by the cases, not a compilation unit"),
      Map.entry("EdgeCasesTest.machineNamesAvoidMemberTypesOverloadsAndLambdaMachines", "extends Base, another block of its test"),
      Map.entry("EdgeCasesTest.superCallsOfTheSuperclassAndOfDefaultMethods", "extends Base and implements Loud, other blocks of its test"),
      Map.entry("EdgeCasesTest.aSealedClassThatDoesNotPermitItsAsyncIsAnError", "a sealed class that does not permit DemoAsync: awaitj's error"),
      Map.entry("EdgeCasesTest.javacsOwnErrorIsTheOnlyOne", "compiled without an import, on purpose"),
      Map.entry("EdgeCasesTest.javacsOwnErrorIsTheOnlyOne#2", "compiled without an import, on purpose"),
      Map.entry("EdgeCasesTest.javacsOwnErrorIsTheOnlyOne#3", "an unresolved result type, on purpose"),
      Map.entry("EdgeCasesTest.javacsOwnErrorIsTheOnlyOne#4", "an unresolved super call, on purpose"),
      Map.entry("EdgeCasesTest.annotationInterfacesAndAbstractInterfaceMethodsGetOneClearError", "an abstract @Async interface method: awaitj's error"),
      Map.entry("EdgeCasesTest.aMirroredConstructorWithAnUnresolvedTypeLeavesJavacsErrorsAlone", "an unresolved thrown type in a mirrored constructor, on purpose"),
      Map.entry("EdgeCasesTest.aMirroredConstructorWithAnUnresolvedTypeLeavesJavacsErrorsAlone#2", "an unresolved parameter type in a mirrored constructor, on purpose"),
      Map.entry("EdgeCasesTest.namesTheStepDeclaresAreReportedOnTheUsersDeclaration", "a lambda's variable and a label named like the step's: awaitj's error"),
      Map.entry("ExceptionsTest.CACHED", "extends FetcherAsync, generated from another block of its test"),
      Map.entry("ExceptionsTest.theSecondArgumentOfAwaitMustBeAClassLiteral", "a non-literal class argument of await: awaitj's error, on purpose"),
      Map.entry("ExceptionsTest.THROWING_GET", "the start of a class its tests complete"),
      Map.entry("ExceptionsTest.aCatchAroundThePlainAwaitOfAStageDoesNotCompile", "a catch of IOException around the plain await: javac's error, on purpose"),
      Map.entry("ExceptionsTest.anOverrideOfXAsyncCannotDeclareTheTemplatesException", "widens the throws clause of an XAsync method: javac's error, on purpose"),
      Map.entry("GeneratedSourceTest.worksBesideAutoValueWhoseGeneratedTypeTheClassUses", "needs AutoValue on the class path"),
      Map.entry("HardeningTest.variablesOfAnonymousTypesGetAClearError", "an anonymous-class variable: awaitj's error, on purpose"),
      Map.entry("HardeningTest.privateMembersOfUnresolvedTypesLeaveJavacsErrorAlone", "a broken import, on purpose"),
      Map.entry("HardeningTest.canonicalConstructorsOfRecordsGetAClearError", "records with canonical constructors: awaitj's error, on purpose"),
      Map.entry("HardeningTest.varOfAnIntersectionWithAWildcardClassBoundGetsAClearError", "a var javac cannot compile there: awaitj's error, on purpose"),
      Map.entry("LibraryTest.templatesOfACompiledLibraryAreRoutedToTheirGeneratedClasses#2", "uses package lib, compiled before it in its test"),
      Map.entry("MisuseScannerTest.demoWith", "the start of a class its test completes"),
      Map.entry("MisuseScannerTest.templateOfACompiledLibrary", "uses package lib, compiled before it in its test"),
      Map.entry("MisuseScannerTest.errorsOfProcessingComeFirst", "a final class with instance @Async methods: awaitj's error"),
      Map.entry("PatternSwitchTest.patternSwitchesWithAwaits", "patterns in switch statements, a preview feature on JDK 17"),
      Map.entry("PatternSwitchTest.patternSwitchExpressionArmThatAwaitsThenYields", "patterns in switch statements, a preview feature on JDK 17"),
      Map.entry("PrivateMembersTest.superCallsReachTheSuperclassImplementation#2", "extends sup.Base, another block of its test"),
      Map.entry("RoundsTest.SHAPE", "uses SquareAsync and CircleAsync, generated from other blocks of its test"),
      Map.entry("RoundsTest.SQUARE", "extends ShapeAsync, generated from another block of its test"),
      Map.entry("RoundsTest.USES_GEN", "uses Gen, which a processor of its test generates, and MakerAsync"),
      Map.entry("RoundsTest.MAKER", "uses Gen, which a processor of its test generates"),
      Map.entry("RoundsTest.aClassThatIsNeverGeneratedIsJavacsErrorAlone", "classes nobody generates, on purpose"),
      Map.entry("RoundsTest.javacsErrorInTheBodyIsShownBesideAwaitjs", "javac's error and awaitj's in one body, on purpose"),
      Map.entry("RoundsTest.javacsErrorsAreShownBesideAwaitjsInOtherMethodsAndClasses", "javac's error and awaitj's in one body, on purpose"),
      Map.entry("RoundsTest.javacsErrorsAreShownBesideAwaitjsInOtherMethodsAndClasses#2", "javac's error, on purpose"),
      Map.entry("RoundsTest.javacsErrorsAreShownBesideAwaitjsInOtherMethodsAndClasses#3", "an @Async method that returns int: awaitj's error, on purpose"),
      Map.entry("RoundsTest.HELPER", "javac's error and awaitj's in one class, on purpose"),
      Map.entry("RoundsTest.NESTED", "uses SquareAsync, generated from another block of its test"),
      Map.entry("RoundsTest.theErrorsOfAClassWhoseSignatureWaitsAreReportedOnce", "an unresolved parameter type, on purpose"),
      Map.entry("RoundsTest.PLAIN", "an @Async method that returns int: awaitj's error, on purpose"),
      Map.entry("RoundsTest.anErrorHeldBackFromTheFirstRoundKeepsItsLine", "an @Async method that returns int: awaitj's error, on purpose"),
      Map.entry("ShapesTest.interfacesOverridesAndStaticsOfEveryKind#2", "implements Greeter, another block of its test"),
      Map.entry("ShapesTest.extendingATemplateClassInsteadOfItsAsyncIsAnError#2", "extends Base, another block of its test"),
      Map.entry("ShapesTest.extendingATemplateClassInsteadOfItsAsyncIsAnError#3", "extends BaseAsync, generated from another block of its test"),
      Map.entry("DirectCallsTest.aBodyMissingAReturnHasJavacsErrorOnly", "a missing return, on purpose: javac's error"),
      Map.entry("DirectCallsTest.aDirectCalleeThatDidNotCompileHasItsOwnErrorOnly", "a 'dispatch$' label, on purpose: awaitj's error"));

  private static final Pattern TEXT_BLOCK =
      Pattern.compile("\"\"\"[ \\t]*\\n(.*?)(?<!\\\\)\"\"\"", Pattern.DOTALL);

  /**
   * A member of a test class, as written at its start: two spaces of indentation, then its modifiers,
   * its type and its name, followed by {@code (} or {@code =}.
   */
  private static final Pattern MEMBER = Pattern.compile("(?m)^  (?![ }@/*])[^=(;\\n]*?\\b(\\w+)\\s*[(=]");

  /** The name of the member of the test class that the text at {@code at} lies in. */
  static String memberAt(String text, int at) {
    Matcher m = MEMBER.matcher(text).region(0, at);
    String name = "top";
    while (m.find()) {
      name = m.group(1);
    }
    return name;
  }

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
      Map<String, Integer> perMember = new HashMap<>();
      while (m.find()) {
        // Named after the test's member that holds it (a method, or a constant), numbered from the
        // second block of that member on: a test added elsewhere in the file renames nothing.
        String member = memberAt(text, m.start());
        int nth = perMember.merge(member, 1, Integer::sum);
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
        String name = file.getFileName().toString().replace(".java", "") + "." + member
            + (nth > 1 ? "#" + nth : "");
        named.add(name);
        if (!NOT_SEEDS.containsKey(name)) {
          out.add(new Seed(name, qualified, unit, 0, unit.length()));
        }
      }
    }
    return out;
  }
}
