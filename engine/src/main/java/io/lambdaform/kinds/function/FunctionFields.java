package io.lambdaform.kinds.function;

import io.lambdaform.diff.FieldChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Flattens a function's configuration into named fields ({@code memorySize}, {@code environment.KEY},
 * {@code vpcConfig.subnetIds}), so that desired and live state can be compared and shown field by field. Settings
 * the manifest leaves unset ({@code Optional.empty()}) produce no field, and so are not managed.
 */
public final class FunctionFields {
    static final String ENVIRONMENT = "environment.";
    public static final String ARCHITECTURES = "architectures";
    static final String DESCRIPTION = "description";

    private FunctionFields() {}

    public static SortedMap<String, String> of(String roleArn, FunctionSettings settings) {
        SortedMap<String, String> fields = new TreeMap<>();
        fields.put("runtime", settings.runtime());
        fields.put("handler", settings.handler());
        fields.put("role", roleArn);
        fields.put(DESCRIPTION, FieldChange.quoted(settings.description()));
        fields.put("memorySize", String.valueOf(settings.memorySize()));
        fields.put("timeout", String.valueOf(settings.timeout()));
        fields.put(ARCHITECTURES, list(settings.architectures()));
        fields.put("ephemeralStorage.size", String.valueOf(settings.ephemeralStorageSize()));
        fields.put("layers", list(settings.layers()));
        settings.environment().forEach((k, v) -> fields.put(ENVIRONMENT + k, FieldChange.quoted(v)));
        settings.tracingMode().ifPresent(v -> fields.put("tracingConfig.mode", v));
        settings.kmsKeyArn().ifPresent(v -> fields.put("kmsKeyArn", v));
        settings.deadLetterTargetArn().ifPresent(v -> fields.put("deadLetterConfig.targetArn", v));
        settings.vpcConfig().ifPresent(v -> {
            fields.put("vpcConfig.subnetIds", list(v.subnetIds()));
            fields.put("vpcConfig.securityGroupIds", list(v.securityGroupIds()));
            fields.put("vpcConfig.ipv6AllowedForDualStack", String.valueOf(v.ipv6AllowedForDualStack()));
        });
        settings.loggingConfig().ifPresent(v -> {
            fields.put("loggingConfig.logFormat", v.logFormat());
            v.applicationLogLevel().ifPresent(l -> fields.put("loggingConfig.applicationLogLevel", l));
            v.systemLogLevel().ifPresent(l -> fields.put("loggingConfig.systemLogLevel", l));
            v.logGroup().ifPresent(l -> fields.put("loggingConfig.logGroup", l));
        });
        settings.fileSystemConfigs().ifPresent(v -> {
            List<String> mounts = new ArrayList<>();
            v.forEach(c -> mounts.add(c.arn() + " at " + c.localMountPath()));
            fields.put("fileSystemConfigs", list(mounts));
        });
        settings.snapStartApplyOn().ifPresent(v -> fields.put("snapStart.applyOn", v));
        settings.imageConfig().ifPresent(v -> {
            fields.put("imageConfig.command", list(v.command()));
            fields.put("imageConfig.entryPoint", list(v.entryPoint()));
            fields.put("imageConfig.workingDirectory", v.workingDirectory().orElse(""));
        });
        return fields;
    }

    /** The fields of a function's asynchronous invocation settings, as {@link #of} gives the configuration's. */
    static SortedMap<String, String> ofAsyncInvoke(FunctionSettings.AsyncInvokeConfig async) {
        SortedMap<String, String> fields = new TreeMap<>();
        async.maximumRetryAttempts().ifPresent(v -> fields.put("asyncInvoke.maximumRetryAttempts", String.valueOf(v)));
        async.maximumEventAgeInSeconds()
                .ifPresent(v -> fields.put("asyncInvoke.maximumEventAgeInSeconds", String.valueOf(v)));
        async.onSuccess().ifPresent(v -> fields.put("asyncInvoke.destinations.onSuccess", v));
        async.onFailure().ifPresent(v -> fields.put("asyncInvoke.destinations.onFailure", v));
        return fields;
    }

    /** The fields of a function's runtime management, as {@link #of} gives the configuration's. */
    static SortedMap<String, String> ofRuntimeManagement(FunctionSettings.RuntimeManagement management) {
        SortedMap<String, String> fields = new TreeMap<>();
        fields.put("runtimeManagement.updateRuntimeOn", management.updateRuntimeOn());
        management.runtimeVersionArn().ifPresent(v -> fields.put("runtimeManagement.runtimeVersionArn", v));
        return fields;
    }

    /**
     * The fields a published version fixes, as {@link #of} gives them: all but the description, which is the
     * version's own (Lambdaform records the version's contents there).
     */
    static SortedMap<String, String> ofVersion(String roleArn, FunctionSettings settings) {
        SortedMap<String, String> fields = of(roleArn, settings);
        fields.remove(DESCRIPTION);
        return fields;
    }

    /**
     * The changes that take live to desired. Every desired field is compared; of the live-only fields, only
     * environment variables are managed (removed), since the manifest owns the whole environment.
     */
    public static List<FieldChange> diff(
            Map<String, String> live, Map<String, String> desired, Set<String> secretEnvironmentKeys) {
        List<FieldChange> changes = new ArrayList<>();
        for (Map.Entry<String, String> field : desired.entrySet()) {
            String name = field.getKey();
            Optional<String> before = Optional.ofNullable(live.get(name));
            if (before.isPresent() && before.get().equals(field.getValue())) {
                continue;
            }
            boolean secret = name.startsWith(ENVIRONMENT)
                    && secretEnvironmentKeys.contains(name.substring(ENVIRONMENT.length()));
            changes.add(new FieldChange(
                    name,
                    before.map(b -> secret ? FieldChange.SENSITIVE : b),
                    Optional.of(secret ? FieldChange.SENSITIVE : field.getValue())));
        }
        for (String name : live.keySet()) {
            if (name.startsWith(ENVIRONMENT) && !desired.containsKey(name)) {
                // A removed variable may have been secret: its old value is never shown.
                changes.add(FieldChange.remove(name, FieldChange.SENSITIVE));
            }
        }
        changes.sort((a, b) -> a.field().compareTo(b.field()));
        return changes;
    }

    /** A list as plans show it: "[a, b]". */
    static String list(List<String> values) {
        return "[" + String.join(", ", values) + "]";
    }
}
