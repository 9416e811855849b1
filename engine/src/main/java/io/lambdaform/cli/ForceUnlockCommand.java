package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lambdaform force-unlock PATH...}: releases the lock of a stack whose holder died. */
@Command(
        name = "force-unlock",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Release the lock of the manifests' stack after the run holding it died.")
public final class ForceUnlockCommand implements Callable<Integer> {
    @Mixin
    DebugOption debug;

    @Mixin
    InputOptions inputs;

    @Mixin
    TargetOptions target;

    @Mixin
    LockOptions lock;

    @Parameters(
            arity = "0..*",
            defaultValue = ".",
            paramLabel = "PATH",
            description = "Manifest files or folders (default: the current folder) (for the Stack).")
    List<Path> paths;

    private final Sessions sessions;
    private final Console console;

    @Inject
    public ForceUnlockCommand(Sessions sessions, Console console) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        Sessions.Session session = sessions.open(paths, inputs, lock.applyTo(target));
        Stack stack = session.stack();
        Optional<String> holder = session.target().cloud().forceUnlock(stack.name());
        console.out()
                .println(holder.map(h -> "Released the lock of stack '" + stack.name() + "', held by " + h + ".")
                        .orElse("Stack '" + stack.name() + "' was not locked."));
        return ExitCodes.OK;
    }
}
