package io.lambdaform.invoke;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.FuzzyMatcher;
import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.kinds.function.Expectations;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.Functions;
import io.lambdaform.kinds.function.Invocation;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.model.Payload;
import io.lambdaform.resource.Stack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Runs declared payloads as smoke tests and checks their expectations. */
public final class PayloadRunner {
    private final CloudProvider cloud;
    private final Functions functions;
    private final Interruption interruption;

    @Inject
    public PayloadRunner(CloudProvider cloud, Functions functions, Interruption interruption) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.functions = requireNonNull(functions, "functions is null");
        this.interruption = requireNonNull(interruption, "interruption is null");
    }

    /**
     * The payloads to run: all of them when no selector is given; otherwise each selector names a payload, or a
     * function whose payloads all run (a function without payloads is invoked with an empty event).
     */
    public List<Payload> select(Stack stack, List<String> selectors) {
        if (selectors.isEmpty()) {
            List<Payload> all = new ArrayList<>(stack.payloads());
            for (Function function : stack.resources(FunctionKind.KIND)) {
                if (stack.payloads().stream().noneMatch(p -> p.function().equals(function.name()))) {
                    all.add(emptyEvent(function));
                }
            }
            return all;
        }
        Set<Payload> selected = new LinkedHashSet<>();
        for (String selector : selectors) {
            List<Payload> byPayload = stack.payloads().stream()
                    .filter(p -> p.name().equals(selector))
                    .toList();
            List<Payload> byFunction = stack.payloads().stream()
                    .filter(p -> p.function().equals(selector))
                    .toList();
            if (!byPayload.isEmpty()) {
                selected.addAll(byPayload);
            } else if (!byFunction.isEmpty()) {
                selected.addAll(byFunction);
            } else if (stack.resource(FunctionKind.KIND, selector).isPresent()) {
                selected.add(
                        emptyEvent(stack.resource(FunctionKind.KIND, selector).get()));
            } else {
                List<String> names = new ArrayList<>();
                stack.payloads().forEach(p -> names.add(p.name()));
                stack.resources(FunctionKind.KIND).forEach(f -> names.add(f.name()));
                throw LambdaformException.user("'" + selector + "' is neither a Payload nor a Function of stack "
                        + stack.name() + FuzzyMatcher.suggestion(selector, names));
            }
        }
        return List.copyOf(selected);
    }

    /**
     * Invokes one function of the stack with an event given on the command line (JSON text); the function must be
     * declared by the stack and exist on the target.
     */
    public InvocationResult invoke(Stack stack, Invocation invocation) {
        if (stack.resource(FunctionKind.KIND, invocation.function()).isEmpty()) {
            List<String> names = stack.resources(FunctionKind.KIND).stream()
                    .map(Function::name)
                    .toList();
            throw LambdaformException.user("'" + invocation.function() + "' is not a Function of stack " + stack.name()
                    + FuzzyMatcher.suggestion(invocation.function(), names));
        }
        requireDeployed(invocation.function());
        return functions.invoke(invocation);
    }

    private void requireDeployed(String function) {
        Optional<String> missing = missing(function);
        if (missing.isPresent()) {
            throw LambdaformException.user(missing.get());
        }
    }

    private static Payload emptyEvent(Function function) {
        return new Payload(function.name() + " (empty event)", function.name(), "{}", Payload.Expectation.NONE);
    }

    /** Runs the payloads in order; every function they need is checked to exist (once each) before any runs. */
    public List<PayloadRun> run(List<Payload> payloads, Consumer<PayloadRun> onEach) {
        return run(payloads, Optional.empty(), onEach);
    }

    /**
     * Runs the payloads in order against {@code qualifier} (a version or alias), else the one each payload names,
     * else $LATEST. A payload that cannot run (its function is not deployed, or the target cannot run its runtime)
     * is reported as not run, and the others run all the same.
     */
    public List<PayloadRun> run(List<Payload> payloads, Optional<String> qualifier, Consumer<PayloadRun> onEach) {
        List<PayloadRun> runs = new ArrayList<>();
        try (Interruption.Registration inOrder = interruption.stopsInOrder()) {
            return run(payloads, qualifier, onEach, runs);
        }
    }

    private List<PayloadRun> run(
            List<Payload> payloads, Optional<String> qualifier, Consumer<PayloadRun> onEach, List<PayloadRun> runs) {
        Map<String, Optional<String>> undeployed = new HashMap<>();
        for (Payload payload : payloads) {
            InvocationResult result;
            try {
                if (interruption.requested().isPresent()) {
                    throw LambdaformException.user(
                            "stopped by " + interruption.requested().get());
                }
                Optional<String> missing = undeployed.computeIfAbsent(payload.function(), this::missing);
                if (missing.isPresent()) {
                    throw LambdaformException.user(missing.get());
                }
                result = functions.invoke(new Invocation(
                        payload.function(), payload.event(), qualifier.or(payload::qualifier), payload.queued()));
            } catch (LambdaformException e) {
                if (interruption.requested().isEmpty() && e.category() == LambdaformException.Category.USER) {
                    PayloadRun notRun = PayloadRun.notRun(payload, e.getMessage());
                    onEach.accept(notRun);
                    runs.add(notRun);
                    continue;
                }
                if (interruption.requested().isEmpty()) {
                    throw e;
                }
                List<String> notRun = payloads.subList(runs.size(), payloads.size()).stream()
                        .map(Payload::name)
                        .toList();
                throw LambdaformException.user(e.getMessage() + ". Ran " + runs.size() + " of " + payloads.size()
                        + " payload(s); not run: " + String.join(", ", notRun));
            }
            PayloadRun run = new PayloadRun(
                    payload,
                    Optional.of(result),
                    Expectations.check(payload, result),
                    Optional.empty(),
                    Expectations.notChecked(payload, result));
            onEach.accept(run);
            runs.add(run);
        }
        return runs;
    }

    /** Why a function cannot be invoked here, when it is not deployed; empty when it is. */
    private Optional<String> missing(String function) {
        if (functions.findFunction(function).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("function " + function + " does not exist on "
                + cloud.describe().kind() + "; run 'lambdaform apply' first");
    }

    /**
     * One payload's invocation and the expectation checks that failed; or why it did not run ({@code notRun}, and no
     * result).
     *
     * @param notChecked what the target could not check (a queued event's outcome, on AWS), for a person
     */
    public record PayloadRun(
            Payload payload,
            Optional<InvocationResult> result,
            List<String> failures,
            Optional<String> notRun,
            Optional<String> notChecked) {
        public PayloadRun {
            requireNonNull(payload, "payload is null");
            requireNonNull(result, "result is null");
            requireNonNull(notRun, "notRun is null");
            requireNonNull(notChecked, "notChecked is null");
            failures = List.copyOf(failures);
            if (result.isPresent() == notRun.isPresent()) {
                throw new IllegalArgumentException("a payload run has a result or a reason it did not run");
            }
        }

        static PayloadRun notRun(Payload payload, String reason) {
            return new PayloadRun(payload, Optional.empty(), List.of(), Optional.of(reason), Optional.empty());
        }

        public boolean passed() {
            return result.isPresent() && failures.isEmpty();
        }
    }
}
