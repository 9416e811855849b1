package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import com.google.inject.Injector;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lambdaform completion bash|zsh}: prints the shell completion script, generated from the commands. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Print the completion script of a shell: commands, options and their values.",
            "bash: source <(lambdaform completion bash), or save it in ~/.local/share/bash-completion/completions/"
                    + "lambdaform.",
            "zsh: source <(lambdaform completion zsh) in ~/.zshrc (it loads zsh's bash completion support)."
        })
public final class CompletionCommand implements Callable<Integer> {
    /** The shells the script is for. */
    enum Shell {
        bash,
        zsh
    }

    @Parameters(index = "0", paramLabel = "bash|zsh", description = "The shell: bash or zsh.")
    Shell shell;

    private final Injector injector;
    private final Console console;

    @Inject
    public CompletionCommand(Injector injector, Console console) {
        this.injector = requireNonNull(injector, "injector is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        CommandLine every = Main.commandLine(new GuiceFactory(injector), new String[0]);
        // picocli's script serves both shells: under zsh it loads zsh's bash completion support itself.
        console.out().print(AutoComplete.bash("lambdaform", every));
        console.out().flush();
        return ExitCodes.OK;
    }
}
