package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import io.lambdaform.FuzzyMatcher;
import io.lambdaform.LambdaformException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The shared config and credentials files, found where the SDK finds them but from the run's environment
 * ({@code AWS_CONFIG_FILE} and {@code AWS_SHARED_CREDENTIALS_FILE}, else {@code $HOME/.aws/config} and
 * {@code $HOME/.aws/credentials}), and the profile a run names: {@code --profile}, else {@code AWS_PROFILE}. A named
 * profile is used alone: its credentials, never the environment's keys or another provider of the default chain.
 *
 * @param configFile the shared config file, which may not exist
 * @param credentialsFile the shared credentials file, which may not exist
 */
record SharedProfiles(Path configFile, Path credentialsFile) {
    SharedProfiles {
        requireNonNull(configFile, "configFile is null");
        requireNonNull(credentialsFile, "credentialsFile is null");
    }

    /** A profile the run names, and where it was named ({@code --profile} or {@code AWS_PROFILE}). */
    record Named(String name, String source) {
        Named {
            requireNonNull(name, "name is null");
            requireNonNull(source, "source is null");
        }

        @Override
        public String toString() {
            return "profile '" + name + "' (" + source + ")";
        }
    }

    /** The files of the run's environment. */
    static SharedProfiles of(Map<String, String> environment) {
        Path home = Path.of(env(environment, "HOME").orElseGet(() -> System.getProperty("user.home")), ".aws");
        return new SharedProfiles(
                env(environment, "AWS_CONFIG_FILE").map(Path::of).orElseGet(() -> home.resolve("config")),
                env(environment, "AWS_SHARED_CREDENTIALS_FILE")
                        .map(Path::of)
                        .orElseGet(() -> home.resolve("credentials")));
    }

    /** The profile the run names: --profile, else AWS_PROFILE; empty means the SDK's default chain. */
    static Optional<Named> named(AwsConfig config) {
        return config.profile()
                .filter(p -> !p.isBlank())
                .map(p -> new Named(p, "--profile"))
                .or(() -> env(config.environment(), "AWS_PROFILE").map(p -> new Named(p, "AWS_PROFILE")));
    }

    /** The profiles of both files (a file that does not exist holds none); a user error when one cannot be read. */
    ProfileFile profiles() {
        ProfileFile.Aggregator all = ProfileFile.aggregator();
        add(all, configFile, ProfileFile.Type.CONFIGURATION);
        add(all, credentialsFile, ProfileFile.Type.CREDENTIALS);
        return all.build();
    }

    private static void add(ProfileFile.Aggregator all, Path file, ProfileFile.Type type) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            all.addFile(ProfileFile.builder().content(file).type(type).build());
        } catch (RuntimeException e) {
            // The parser's messages name a line of the file, which may hold a secret: say only which file.
            throw LambdaformException.user("cannot read the shared "
                    + (type == ProfileFile.Type.CONFIGURATION ? "config" : "credentials") + " file " + file
                    + ": it is not a valid AWS profile file (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The named profile, which must be in one of the files; a user error naming the files otherwise. */
    Profile require(Named named, ProfileFile profiles) {
        return profiles.profile(named.name()).orElseThrow(() -> {
            TreeSet<String> known = new TreeSet<>(profiles.profiles().keySet());
            throw LambdaformException.user(named + " is not in the shared config file " + describe(configFile)
                    + " or the shared credentials file " + describe(credentialsFile)
                    + (known.isEmpty() ? "; they hold no profile" : "; their profiles: " + String.join(", ", known))
                    + Optional.of(FuzzyMatcher.suggestion(named.name(), known))
                            .filter(s -> !s.isEmpty())
                            .map(s -> s + " ")
                            .orElse(". ")
                    + "Name a profile of those files, or add it to them (AWS_CONFIG_FILE and"
                    + " AWS_SHARED_CREDENTIALS_FILE name other files)");
        });
    }

    /**
     * The credentials of the named profile alone, resolved now: a profile that is missing or yields no credentials is
     * a user error before any API call, rather than a silent fall back to other credentials.
     */
    AwsCredentialsProvider credentials(Named named) {
        ProfileFile profiles = profiles();
        require(named, profiles);
        ProfileCredentialsProvider provider = ProfileCredentialsProvider.builder()
                .profileFile(profiles)
                .profileName(named.name())
                .build();
        try {
            provider.resolveCredentials();
        } catch (RuntimeException e) {
            throw new LambdaformException(
                    LambdaformException.Category.USER,
                    named + " in " + describe(configFile) + " and " + describe(credentialsFile)
                            + " cannot produce credentials: " + reason(e)
                            + ". Give it aws_access_key_id and aws_secret_access_key, role_arn with source_profile,"
                            + " sso_session or credential_process, or name another profile",
                    e);
        }
        return provider;
    }

    /**
     * Why a profile yields no credentials, in the SDK's words where they name only properties and profiles; never
     * a credential process's own output, which may hold anything.
     */
    private static String reason(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof SdkClientException && message.startsWith("Profile file contained no credentials")) {
            return "it sets none of aws_access_key_id, role_arn, sso_session, sso_start_url, credential_process or"
                    + " login_session";
        }
        String first = message.lines().findFirst().orElse("").strip();
        int output = first.toLowerCase(Locale.ROOT).indexOf(" with error message");
        if (output >= 0) {
            first = first.substring(0, output);
        }
        if (first.length() > 200) {
            first = first.substring(0, 200) + "…";
        }
        return first.isEmpty() ? e.getClass().getSimpleName() : first.replaceAll("\\.+$", "");
    }

    private static String describe(Path file) {
        return file + (Files.isRegularFile(file) ? "" : " (missing)");
    }

    private static Optional<String> env(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isBlank());
    }
}
