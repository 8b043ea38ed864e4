package dev.windlass.cli;

import dev.windlass.cli.WindlassCliTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.windlass.cli.WindlassCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The completion scripts, loaded into the real shells (skipped where a shell is not installed), complete windlass's commands. */
class CompletionCommandTest {
    @TempDir
    Path dir;

    @Test
    void bashCompletesCommandsAndOptions() throws Exception {
        Path script = script("bash");
        // compopt works only inside a completion that bash itself runs; here the function is called directly
        String complete = "source " + script + "; compopt() { :; }; COMP_WORDS=(windlass %s); COMP_CWORD=%d; COMP_LINE='windlass %s'; "
                + "COMP_POINT=${#COMP_LINE}; _complete_windlass; echo \"${COMPREPLY[@]}\"";
        assertThat(shell("bash", complete.formatted("proxy-c", 1, "proxy-c"))).isEqualTo("proxy-config\n");
        assertThat(shell("bash", complete.formatted("proxy-config --fq", 2, "proxy-config --fq"))).isEqualTo("--fqdn\n");
    }

    @Test
    void zshLoadsTheBashScriptThroughBashcompinit() throws Exception {
        Path script = script("zsh");
        assertThat(Files.readString(script)).startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit");
        assertThat(shell("zsh", "source " + script + " && echo ${_comps[windlass]}")).startsWith("_bash_complete -F _complete_windlass");
    }

    @Test
    void fishCompletesCommandsAndOptions() throws Exception {
        Path script = script("fish");
        assertThat(shell("fish", "source " + script + "; complete -C 'windlass proxy-c'")).startsWith("proxy-config\t");
        assertThat(shell("fish", "source " + script + "; complete -C 'windlass install --prof'")).startsWith("--profile\t");
        assertThat(shell("fish", "source " + script + "; complete -C 'windlass manifest '")).contains("generate\t", "apply\t");
        assertThat(shell("fish", "source " + script + "; complete -C 'windlass upgrade --vers'")).startsWith("--version\t");
    }

    @Test
    void anUnknownShellIsNamed() {
        Result result = run("completion", "powershell");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("windlass: SHELL: 'powershell' is not one of bash, zsh, fish\n");
        assertThat(run("completion").err()).isEqualTo("windlass: SHELL: one of bash, zsh, fish is required\n");
    }

    private Path script(String shell) throws IOException {
        Result result = run("completion", shell);
        assertThat(result.code()).isZero();
        Path script = dir.resolve("windlass." + shell);
        Files.writeString(script, result.out());
        return script;
    }

    private static String shell(String shell, String command) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin", shell)) || Files.isExecutable(Path.of("/bin", shell)), shell + " is not installed");
        Process process = new ProcessBuilder(shell, "-c", command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
