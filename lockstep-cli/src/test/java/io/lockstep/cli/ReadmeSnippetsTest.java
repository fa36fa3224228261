package io.lockstep.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of the README compiles against the library, so that the first code
 * a user copies cannot rot. The CLI module sees every other module, which is why the test lives
 * here.
 *
 * <p>A block is compiled as the body of a method: its {@code import} lines go to the top of the
 * file, the rest into {@code static void snippet() throws Exception}. A block that declares a
 * top-level type (a line starting with {@code class}, {@code record}, {@code interface} or
 * {@code enum}, possibly after {@code public}) is compiled as a file of its own instead.
 */
class ReadmeSnippetsTest {

  private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TYPE =
      Pattern.compile("(?m)^(?:public )?(?:final |abstract )*(?:class|record|interface|enum) (\\w+)");

  @Test
  void everyJavaBlockOfTheReadmeCompiles() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), UTF_8);
    List<JavaFileObject> sources = new ArrayList<>();
    Matcher m = BLOCK.matcher(readme);
    for (int i = 0; m.find(); i++) sources.add(source("Readme" + i, m.group(1)));
    assertThat(sources).as("java blocks in README.md").isNotEmpty();

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter out = new StringWriter();
    Path classes = Files.createTempDirectory("readme-snippets");
    List<String> options = List.of("-proc:none", "-d", classes.toString(),
        "-classpath", System.getProperty("java.class.path"));
    boolean ok = javac.getTask(out, null, diagnostics, options, null, sources).call();
    assertThat(ok).as("README snippets compile:%n%s%s", out, diagnostics.getDiagnostics()).isTrue();
  }

  private static JavaFileObject source(String name, String block) {
    String code;
    Matcher type = TYPE.matcher(block);
    if (type.find()) {
      code = block;
      name = type.group(1);
    } else {
      StringBuilder imports = new StringBuilder(), body = new StringBuilder();
      for (String line : block.split("\n")) (line.startsWith("import ") ? imports : body).append(line).append('\n');
      code = imports + "class " + name + " {\n  static void snippet() throws Exception {\n" + body + "  }\n}\n";
    }
    String file = name + ".java";
    String text = code;
    return new SimpleJavaFileObject(URI.create("string:///" + file), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return text;
      }
    };
  }
}
