package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import io.lambdaform.cloud.DeploymentPackage;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Collections2;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Tagging;
import java.util.List;
import java.util.SortedMap;

/** The operations of a function plan, each carried out through the {@link Functions} port. */
public final class FunctionOperations {
    public static final Operation.Type CREATE_FUNCTION = new Operation.Type("CreateFunction", Operation.Effect.CREATES);
    public static final Operation.Type UPDATE_FUNCTION_CODE =
            new Operation.Type("UpdateFunctionCode", Operation.Effect.CHANGES);
    public static final Operation.Type UPDATE_FUNCTION_CONFIGURATION =
            new Operation.Type("UpdateFunctionConfiguration", Operation.Effect.CHANGES);
    public static final Operation.Type DELETE_FUNCTION = new Operation.Type("DeleteFunction", Operation.Effect.DELETES);

    /** Every type, in the order the plan format lists them. */
    static final List<Operation.Type> TYPES = List.of(
            CREATE_FUNCTION,
            UPDATE_FUNCTION_CODE,
            UPDATE_FUNCTION_CONFIGURATION,
            Tagging.TAG_RESOURCE,
            Tagging.UNTAG_RESOURCE,
            DELETE_FUNCTION);

    private FunctionOperations() {}

    /** An operation on one function: its key derives from the function's name. */
    interface FunctionOperation extends Operation {
        String name();

        @Override
        default ResourceKey key() {
            return FunctionKind.key(name());
        }
    }

    /**
     * @param codeSha256 the CodeSha256 of the package the plan was computed from; apply refuses another
     */
    public record CreateFunction(
            String name,
            String roleArn,
            FunctionSettings settings,
            CodeSource code,
            String codeSha256,
            SortedMap<String, String> tags,
            List<FieldChange> changes)
            implements FunctionOperation {
        public CreateFunction {
            requireNonNull(name, "name is null");
            requireNonNull(roleArn, "roleArn is null");
            requireNonNull(settings, "settings is null");
            requireNonNull(code, "code is null");
            requireNonNull(codeSha256, "codeSha256 is null");
            tags = Collections2.sortedCopy(tags);
            changes = List.copyOf(changes);
        }

        @Override
        public Type type() {
            return CREATE_FUNCTION;
        }

        @Override
        public Action action() {
            return Action.CREATE;
        }

        @Override
        public String summary() {
            return "create function";
        }

        @Override
        public void apply(ApplyContext target) {
            DeploymentPackage zip = target.packageAsPlanned(key(), code, codeSha256);
            target.port(Functions.class).createFunction(new NewFunction(name, roleArn, settings, zip, tags));
        }
    }

    /**
     * Replaces the code; Lambda changes the architectures only here, together with the code. The function is then
     * tagged with the package's source digest and CodeSha256.
     */
    public record UpdateFunctionCode(
            String name,
            CodeSource code,
            String codeSha256,
            String sourceSha256,
            List<String> architectures,
            List<FieldChange> changes)
            implements FunctionOperation {
        public UpdateFunctionCode {
            requireNonNull(name, "name is null");
            requireNonNull(code, "code is null");
            requireNonNull(codeSha256, "codeSha256 is null");
            requireNonNull(sourceSha256, "sourceSha256 is null");
            architectures = List.copyOf(architectures);
            changes = List.copyOf(changes);
        }

        @Override
        public Type type() {
            return UPDATE_FUNCTION_CODE;
        }

        @Override
        public Action action() {
            return Action.UPDATE;
        }

        @Override
        public String summary() {
            return "update code";
        }

        @Override
        public void apply(ApplyContext target) {
            DeploymentPackage zip = target.packageAsPlanned(key(), code, codeSha256);
            Functions functions = target.port(Functions.class);
            functions.updateFunctionCode(name, zip, architectures);
            functions.tagFunction(name, FunctionKind.codeTags(zip));
        }
    }

    public record UpdateFunctionConfiguration(
            String name, String roleArn, FunctionSettings settings, List<FieldChange> changes)
            implements FunctionOperation {
        public UpdateFunctionConfiguration {
            requireNonNull(name, "name is null");
            requireNonNull(roleArn, "roleArn is null");
            requireNonNull(settings, "settings is null");
            changes = List.copyOf(changes);
        }

        @Override
        public Type type() {
            return UPDATE_FUNCTION_CONFIGURATION;
        }

        @Override
        public Action action() {
            return Action.UPDATE;
        }

        @Override
        public String summary() {
            return "update configuration";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Functions.class).updateFunctionConfiguration(name, roleArn, settings);
        }
    }

    public record DeleteFunction(String name) implements FunctionOperation {
        public DeleteFunction {
            requireNonNull(name, "name is null");
        }

        @Override
        public Type type() {
            return DELETE_FUNCTION;
        }

        @Override
        public Action action() {
            return Action.DELETE;
        }

        @Override
        public String summary() {
            return "delete function";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Functions.class).deleteFunction(name);
        }
    }
}
