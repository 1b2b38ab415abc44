package dev.ward.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version stamped into the build (ward-version.properties, filtered by Maven). */
public final class WardVersion implements IVersionProvider {
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = WardVersion.class.getResourceAsStream("/ward-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ward " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor")
                + "), " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
}
