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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every {@code ```java} block of the README and of docs/GUIDE.md compiles against the library, so
 * that the code a user copies cannot rot. The CLI module sees every other module, which is why the
 * test lives here.
 *
 * <p>A block is compiled as the body of a method: its {@code import} lines go to the top of the
 * file, the rest into {@code static void snippet() throws Exception}. A block that declares a
 * top-level type (a line starting with {@code class}, {@code record}, {@code interface} or {@code
 * enum}, possibly after {@code public}) is compiled as a file of its own instead. The blocks of one
 * document are compiled together (so two blocks of one document must not declare the same type);
 * each document is compiled apart from the others. A method-body block's class is named after the
 * document and the block's line, so a compiler error points at the line.
 */
class ReadmeSnippetsTest {

    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern TYPE =
            Pattern.compile(
                    "(?m)^(?:public )?(?:final |abstract )*(?:class|record|interface|enum) (\\w+)");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"README.md, Readme", "docs/GUIDE.md, Guide"})
    void everyJavaBlockCompiles(String document, String prefix) throws IOException {
        String text = Files.readString(Path.of("..").resolve(document), UTF_8);
        List<JavaFileObject> sources = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            int line =
                    1 + (int) text.substring(0, m.start(1)).chars().filter(c -> c == '\n').count();
            sources.add(source(prefix + "Line" + line, m.group(1)));
        }
        assertThat(sources).as("java blocks in %s", document).isNotEmpty();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter out = new StringWriter();
        Path classes = Files.createTempDirectory("doc-snippets");
        List<String> options =
                List.of(
                        "-proc:none",
                        "-d",
                        classes.toString(),
                        "-classpath",
                        System.getProperty("java.class.path"));
        boolean ok = javac.getTask(out, null, diagnostics, options, null, sources).call();
        assertThat(ok)
                .as("%s snippets compile:%n%s%s", document, out, diagnostics.getDiagnostics())
                .isTrue();
    }

    private static JavaFileObject source(String name, String block) {
        String code;
        Matcher type = TYPE.matcher(block);
        if (type.find()) {
            code = block;
            name = type.group(1);
        } else {
            StringBuilder imports = new StringBuilder(), body = new StringBuilder();
            for (String line : block.split("\n"))
                (line.startsWith("import ") ? imports : body).append(line).append('\n');
            code =
                    imports
                            + "class "
                            + name
                            + " {\n  static void snippet() throws Exception {\n"
                            + body
                            + "  }\n}\n";
        }
        String file = name + ".java";
        String text = code;
        return new SimpleJavaFileObject(
                URI.create("string:///" + file), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
    }
}
