package io.awaitj.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * The README's "Using it" snippet, copied verbatim out of README.md into an empty project, builds
 * with Maven and runs an {@code @Async} method: what a new user does first. And what the user's build
 * then sees of awaitj: {@code mvn dependency:tree} shows awaitj-runtime alone on the compile classpath
 * (it holds {@code @Async} too), whether the processor is on the processor path (the README's
 * way) or a {@code provided} dependency (then it is there too, alone: javapoet is inside its jar,
 * relocated, and its published pom declares no dependency a build would resolve). Gradle's {@code
 * annotationProcessor} reads the same published pom, so it resolves the processor jar alone too (not
 * run here: no Gradle in the build).
 *
 * <p>The artifacts are not published, and this test must not install them into the user's local
 * repository (~/.m2). So it lays out a throwaway local repository of its own holding this reactor's
 * parent pom, the runtime (its pom, and a jar made from its freshly compiled classes) and the
 * processor as {@code mvn install} would publish it: the shaded jar and the dependency-reduced pom
 * that {@code mvn package} leaves in processor/target (as {@code mvn verify}
 * has when this test runs; a jar older than the processor's classes fails the test instead of testing
 * stale code). It gives Maven the real local repository as a read-only {@code file:} repository for
 * everything else (plugins, and whatever the processor's pom would wrongly ask for: a leak shows in
 * the tree rather than as a resolution failure). The throwaway projects' parent pins the lifecycle
 * plugins other than the compiler (resources, jar, surefire) and the dependency plugin to the versions
 * this build itself uses, which are therefore in the local repository; the compiler plugin's version
 * is the snippet's. Maven runs offline, always: it reads nothing but these two repositories ({@code
 * aether.offline.protocols=file} lets an offline Maven read a {@code file:} repository).
 */
class ReadmeSnippetTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final String PARENT_POM = read(ROOT.resolve("pom.xml"));
  static final String VERSION = property(PARENT_POM, "version");
  /** The processor as {@code mvn package} left it: the shaded jar and the pom it publishes. */
  static final Path PROCESSOR_JAR =
      ROOT.resolve("processor/target/awaitj-processor-" + VERSION + ".jar");
  static final Path PROCESSOR_POM = ROOT.resolve("processor/target/dependency-reduced-pom.xml");

  /** The source of the @Async program both throwaway projects build and run. */
  static final String HELLO = String.join("\n",
      "package com.example;",
      "",
      "import static io.awaitj.Aio.await;",
      "import static io.awaitj.Aio.done;",
      "",
      "import io.awaitj.Aio;",
      "import io.awaitj.Async;",
      "import io.awaitj.Coroutine;",
      "",
      "public final class Hello {",
      "  @Async",
      "  static Coroutine<String> greet(String who) {",
      "    await(Aio.sleep(10));",
      "    return done(\"hello, \" + who);",
      "  }",
      "",
      "  public static void main(String[] args) {",
      "    System.out.println(Aio.run(HelloAsync.greet(\"awaitj\")));",
      "  }",
      "}",
      "");

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first xml block after the heading "## Using it". */
  static String snippet() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int section = readme.indexOf("\n## Using it\n");
    assertTrue(section >= 0, "README.md has no '## Using it' section");
    int start = readme.indexOf("```xml\n", section);
    int end = readme.indexOf("\n```", start + 1);
    assertTrue(start >= 0 && end > start, "no ```xml block after '## Using it'");
    return readme.substring(start + "```xml\n".length(), end + 1);
  }

  static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertTrue(m.find(), "no " + name + " in the parent pom");
    return m.group(1).trim();
  }

  static void jar(Path classes, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> paths = Files.walk(classes)) {
      for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
    }
  }

  static String run(List<String> command, Path dir, Path log) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_OPTS");
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    String output = Files.readString(log);
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + output);
    return output;
  }

  /** The processor's jar, checked to be at least as new as its compiled classes. */
  static Path processorJar() throws IOException {
    assertTrue(Files.isRegularFile(PROCESSOR_JAR) && Files.isRegularFile(PROCESSOR_POM),
        PROCESSOR_JAR + " or " + PROCESSOR_POM + " is missing: package the processor first"
            + " (mvn package -pl processor, or mvn verify)");
    FileTime jar = Files.getLastModifiedTime(PROCESSOR_JAR);
    try (Stream<Path> paths = Files.walk(ROOT.resolve("processor/target/classes"))) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        assertTrue(Files.getLastModifiedTime(p).compareTo(jar) <= 0,
            p + " is newer than " + PROCESSOR_JAR + ": package the processor again");
      }
    }
    return PROCESSOR_JAR;
  }

  /**
   * A throwaway Maven set-up in {@code tmp}: the local repository with this build's artifacts, laid
   * out as mvn install would; the settings that add the real local repository, read-only; the pins.
   */
  record Sandbox(Path tmp, Path repo, Path settings) {
    static Sandbox create(Path tmp) throws IOException {
      Path repo = tmp.resolve("repo");
      Path group = repo.resolve("io/awaitj");
      Path parentDir = Files.createDirectories(group.resolve("awaitj-parent/" + VERSION));
      Files.copy(ROOT.resolve("pom.xml"), parentDir.resolve("awaitj-parent-" + VERSION + ".pom"));
      for (String module : List.of("runtime")) {
        String artifact = "awaitj-" + module;
        Path dir = Files.createDirectories(group.resolve(artifact + "/" + VERSION));
        Files.copy(ROOT.resolve(module + "/pom.xml"), dir.resolve(artifact + "-" + VERSION + ".pom"));
        Path classes = ROOT.resolve(module + "/target/classes");
        assertTrue(Files.isDirectory(classes), classes + " is not built");
        jar(classes, dir.resolve(artifact + "-" + VERSION + ".jar"));
      }
      Path processor = Files.createDirectories(group.resolve("awaitj-processor/" + VERSION));
      Files.copy(processorJar(), processor.resolve("awaitj-processor-" + VERSION + ".jar"));
      Files.copy(PROCESSOR_POM, processor.resolve("awaitj-processor-" + VERSION + ".pom"));

      // The real local repository, read-only, for plugins and third-party dependencies.
      String userRepo = System.getProperty("awaitj.outerRepository",
          System.getProperty("user.home") + "/.m2/repository");
      String url = Path.of(userRepo).toUri().toString();
      Path settings = tmp.resolve("settings.xml");
      Files.writeString(settings, "<settings>\n  <profiles>\n    <profile>\n      <id>user-m2</id>\n"
          + "      <repositories><repository><id>user-m2</id><url>" + url + "</url></repository>"
          + "</repositories>\n"
          + "      <pluginRepositories><pluginRepository><id>user-m2</id><url>" + url
          + "</url></pluginRepository></pluginRepositories>\n"
          + "    </profile>\n  </profiles>\n  <activeProfiles><activeProfile>user-m2</activeProfile>"
          + "</activeProfiles>\n</settings>\n");

      // The parent of the throwaway projects: plugins at versions this build has resolved.
      Path pins = Files.createDirectories(tmp.resolve("pins"));
      StringBuilder plugins = new StringBuilder();
      for (String[] p : new String[][] {{"maven-resources-plugin", "resources-plugin.version"},
          {"maven-jar-plugin", "jar-plugin.version"},
          {"maven-surefire-plugin", "surefire-plugin.version"},
          {"maven-dependency-plugin", "dependency-plugin.version"}}) {
        plugins.append("      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>")
            .append(p[0]).append("</artifactId><version>").append(property(PARENT_POM, p[1]))
            .append("</version></plugin>\n");
      }
      Files.writeString(pins.resolve("pom.xml"), "<project>\n"
          + "  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example</groupId>\n"
          + "  <artifactId>pins</artifactId>\n  <version>1</version>\n  <packaging>pom</packaging>\n"
          + "  <build><pluginManagement><plugins>\n" + plugins
          + "  </plugins></pluginManagement></build>\n</project>\n");
      return new Sandbox(tmp, repo, settings);
    }

    /** A project {@code name} under {@code tmp}: its pom's {@code content}, and Hello.java. */
    Path project(String name, String content) throws IOException {
      Path project = Files.createDirectories(tmp.resolve(name));
      Files.writeString(project.resolve("pom.xml"), "<project>\n"
          + "  <modelVersion>4.0.0</modelVersion>\n"
          + "  <parent><groupId>com.example</groupId><artifactId>pins</artifactId><version>1</version>"
          + "<relativePath>../pins/pom.xml</relativePath></parent>\n"
          + "  <artifactId>" + name + "</artifactId>\n"
          + content
          + "</project>\n");
      Path source = Files.createDirectories(project.resolve("src/main/java/com/example"));
      Files.writeString(source.resolve("Hello.java"), HELLO);
      return project;
    }

    /** Runs this build's Maven, offline, on {@code project} with {@code arguments}. */
    String mvn(Path project, String... arguments) throws Exception {
      String mavenHome = System.getProperty("awaitj.mavenHome", "");
      String mvn = mavenHome.isEmpty() || mavenHome.startsWith("$") ? "mvn" : mavenHome + "/bin/mvn";
      List<String> command = new ArrayList<>(List.of(mvn, "-B", "-ntp", "-q", "-o", "-s",
          settings.toString(), "-Dmaven.repo.local=" + repo, "-Daether.offline.protocols=file"));
      command.addAll(List.of(arguments));
      return run(command, project, tmp.resolve(project.getFileName() + "-mvn.log"));
    }

    /** Packages {@code project} and runs Hello from its jar and the runtime's. */
    void packageAndRun(Path project) throws Exception {
      mvn(project, "-Dmaven.test.skip=true", "package");
      Path group = repo.resolve("io/awaitj");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String classpath = String.join(File.pathSeparator,
          project.resolve("target/" + project.getFileName() + "-1.jar").toString(),
          group.resolve("awaitj-runtime/" + VERSION + "/awaitj-runtime-" + VERSION + ".jar").toString());
      String output = run(List.of(java, "-cp", classpath, "com.example.Hello"), project,
          tmp.resolve(project.getFileName() + "-java.log"));
      assertEquals("hello, awaitj\n", output.replace(System.lineSeparator(), "\n"));
    }

    /**
     * {@code mvn dependency:tree} of {@code project}: every dependency, direct or not, as {@code
     * groupId:artifactId:scope}, in the tree's order.
     */
    List<String> dependencyTree(Path project) throws Exception {
      Path out = tmp.resolve(project.getFileName() + "-tree.txt");
      mvn(project, "org.apache.maven.plugins:maven-dependency-plugin:"
          + property(PARENT_POM, "dependency-plugin.version") + ":tree", "-DoutputFile=" + out);
      List<String> lines = Files.readAllLines(out);
      assertEquals("com.example:" + project.getFileName() + ":jar:1", lines.get(0), lines::toString);
      List<String> dependencies = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] gav = line.replaceFirst("^[|+\\\\\\- ]+", "").split(":");
        assertEquals(5, gav.length, () -> "unexpected line in the tree: " + line);
        dependencies.add(gav[0] + ":" + gav[1] + ":" + gav[4]);
      }
      return dependencies;
    }
  }

  @Test
  void theUsingItSnippetBuildsAnEmptyProjectWithTheRuntimeAlone(@TempDir Path tmp)
      throws Exception {
    Sandbox sandbox = Sandbox.create(tmp);
    Path project = sandbox.project("hello", snippet());
    sandbox.packageAndRun(project);
    // The processor path is not in the tree: the compile classpath is the runtime and what it brings.
    assertEquals(List.of("io.awaitj:awaitj-runtime:compile"), sandbox.dependencyTree(project));
  }

  @Test
  void theProcessorAsAProvidedDependencyBringsNothingElse(@TempDir Path tmp) throws Exception {
    Sandbox sandbox = Sandbox.create(tmp);
    // No processor path: javac finds the processor on the classpath (its META-INF/services), if
    // asked to: since JDK 23 it runs processors found there only with -proc:full (JDK 17 takes it too).
    Path project = sandbox.project("provided", "  <dependencies>\n"
        + "    <dependency><groupId>io.awaitj</groupId><artifactId>awaitj-runtime</artifactId>"
        + "<version>" + VERSION + "</version></dependency>\n"
        + "    <dependency><groupId>io.awaitj</groupId><artifactId>awaitj-processor</artifactId>"
        + "<version>" + VERSION + "</version><scope>provided</scope></dependency>\n"
        + "  </dependencies>\n"
        + "  <build><plugins><plugin><groupId>org.apache.maven.plugins</groupId>"
        + "<artifactId>maven-compiler-plugin</artifactId><version>"
        + property(PARENT_POM, "compiler-plugin.version") + "</version>"
        + "<configuration><release>17</release><proc>full</proc></configuration></plugin></plugins>"
        + "</build>\n");
    sandbox.packageAndRun(project);
    List<String> tree = sandbox.dependencyTree(project);
    assertEquals(List.of("io.awaitj:awaitj-runtime:compile", "io.awaitj:awaitj-processor:provided"),
        tree);
  }

  /**
   * The processor's published pom declares no dependency that a build resolves for its users: only
   * the test and provided ones of its own build, which are not transitive.
   */
  @Test
  void theProcessorsPomDeclaresNoCompileOrRuntimeDependency() throws Exception {
    processorJar();
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(PROCESSOR_POM.toFile());
    List<String> leaked = new ArrayList<>();
    for (Node n = pom.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!"dependencies".equals(n.getNodeName())) {
        continue;
      }
      for (Node d = n.getFirstChild(); d != null; d = d.getNextSibling()) {
        if (!"dependency".equals(d.getNodeName())) {
          continue;
        }
        String scope = child(d, "scope").orElse("compile");
        if (!scope.equals("test") && !scope.equals("provided")) {
          leaked.add(child(d, "groupId").orElse("?") + ":" + child(d, "artifactId").orElse("?")
              + ":" + scope);
        }
      }
    }
    assertEquals(List.of(), leaked, PROCESSOR_POM.toString());
  }

  static Optional<String> child(Node parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (name.equals(n.getNodeName())) {
        return Optional.of(n.getTextContent().trim());
      }
    }
    return Optional.empty();
  }

  /**
   * The processor's jar holds the processor's classes, javapoet's relocated under its package, and
   * its META-INF resources (the services file javac reads among them): no class outside
   * io.awaitj.processor that could clash with another copy on a user's processor path or classpath.
   */
  @Test
  void theProcessorsJarHoldsItsOwnPackageAlone() throws Exception {
    List<String> foreign = new ArrayList<>();
    boolean javapoet = false;
    boolean services = false;
    try (JarFile jar = new JarFile(processorJar().toFile())) {
      for (JarEntry e : Collections.list(jar.entries())) {
        String name = e.getName();
        javapoet |= name.startsWith("io/awaitj/processor/shaded/javapoet/") && name.endsWith(".class");
        services |= name.equals("META-INF/services/javax.annotation.processing.Processor");
        if (!name.startsWith("META-INF/") && !name.startsWith("io/awaitj/processor/")
            && !List.of("io/", "io/awaitj/").contains(name)) {
          foreign.add(name);
        }
      }
    }
    assertEquals(List.of(), foreign);
    assertTrue(javapoet, "no relocated javapoet in " + PROCESSOR_JAR);
    assertTrue(services, "no META-INF/services/javax.annotation.processing.Processor");
  }

  /**
   * The "Using it" snippet in a project that is a named module (README's "Named modules"): Maven's
   * compiler plugin then puts the runtime on the module path, the processor stays on the processor
   * path, and the project's jar runs as the module {@code com.example} beside the runtime's,
   * {@code io.awaitj}.
   */
  @Test
  void theUsingItSnippetBuildsANamedModule(@TempDir Path tmp) throws Exception {
    Sandbox sandbox = Sandbox.create(tmp);
    Path project = sandbox.project("modular", snippet());
    Files.writeString(project.resolve("src/main/java/module-info.java"),
        "module com.example {\n  requires io.awaitj;\n  requires static java.compiler;\n}\n");
    sandbox.mvn(project, "-Dmaven.test.skip=true", "package");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String modulePath = String.join(File.pathSeparator,
        project.resolve("target/modular-1.jar").toString(),
        sandbox.repo().resolve("io/awaitj/awaitj-runtime/" + VERSION + "/awaitj-runtime-" + VERSION
            + ".jar").toString());
    String output = run(List.of(java, "--module-path", modulePath, "-m",
        "com.example/com.example.Hello"), project, tmp.resolve("modular-java.log"));
    assertEquals("hello, awaitj\n", output.replace(System.lineSeparator(), "\n"));
  }
}
