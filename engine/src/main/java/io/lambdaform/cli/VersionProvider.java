package io.lambdaform.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * What {@code --version} prints, for every command: the build's version and the commit it was built from, and the
 * Java runtime running it (a release's own, or the one on PATH).
 */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "lambdaform " + version() + " (commit " + property("commit.properties", "commit", "unknown") + ")",
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                    + System.getProperty("java.home") + ")"
        };
    }

    static String version() {
        return property("version.properties", "version", "(unknown version)");
    }

    private static String property(String resource, String name, String otherwise) {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(resource)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return otherwise;
        }
        return properties.getProperty(name, otherwise);
    }
}
