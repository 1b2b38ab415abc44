package dev.ward.deploy;

import dev.ward.api.Entrypoint;
import dev.ward.registry.ImageConfig;
import dev.ward.registry.ImageConfigSource;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;

/**
 * What protecting one container means, whatever format it is written in, computed once by {@link #of}: the argv
 * the agent starts (Docker's rules over the container's and the image's entry point and command), the user the
 * agent will run as, and whether it runs as root and so needs {@code SYS_PTRACE}. The ECS, CloudFormation and
 * Kubernetes injectors only write the plan into their own fields (entryPoint/command or command/args,
 * linuxParameters or securityContext), keeping the input's layout; the agent's environment is
 * {@link AgentSettings}'.
 *
 * @param argv the workload's original argv, or null when the container keeps its image's entry point (an
 *             embedded image started as it is)
 * @param user the user the container runs as: the one it declares, else the image's USER when the image was read;
 *             null when neither is known
 * @param root whether that is root (unknown counts as root: the image's USER defaults to it)
 */
record ProtectionPlan(List<String> argv, String user, boolean root) {
    /**
     * One container in Docker's terms, read by a format's injector.
     *
     * @param where         how messages name the container ({@code container web}, {@code Deployment/x container web})
     * @param entrypoint    ECS entryPoint / Kubernetes command, null when not written
     * @param cmd           ECS command / Kubernetes args, null when not written
     * @param overridesArgv whether the container writes either field (even as null): then the argv is rewritten
     *                      in embedded mode too
     * @param declaredUser  ECS user / Kubernetes runAsUser (the container's, else the pod's), null when not written
     * @param noArgvHere    why the image must be read, in the format's words ({@code no command in the manifest})
     * @param noArgvAtAll   what is missing when neither has an argv, in the format's words
     */
    record Container(String where, String image, List<String> entrypoint, List<String> cmd, boolean overridesArgv,
                     String declaredUser, Platform platform, String noArgvHere, String noArgvAtAll) {
    }

    /** The entry point that starts the workload under the agent: {@link Entrypoint#PREFIX} {@code run -- argv}. */
    List<String> wardEntrypoint() {
        List<String> ep = new ArrayList<>(Entrypoint.PREFIX);
        ep.add("run");
        ep.add("--");
        ep.addAll(argv);
        return ep;
    }

    static ProtectionPlan of(Container c, InjectOptions options, ImageConfigSource images, List<String> notes)
            throws InjectException {
        boolean sidecar = options.mode() == InjectOptions.Mode.SIDECAR;
        List<String> argv = null;
        String imageUser = null;
        if (sidecar || c.overridesArgv()) {
            if (c.entrypoint() != null) {
                argv = new ArrayList<>(c.entrypoint());
                if (c.cmd() != null) {
                    argv.addAll(c.cmd());
                }
            } else {
                ImageConfig config = imageConfig(c, images);
                argv = new ArrayList<>(config.entrypoint());
                argv.addAll(c.cmd() != null ? c.cmd() : config.cmd());
                imageUser = config.user();
                argv = ForeignAgents.imageArgv(argv, c.image(), c.where(), options.replaceAgents(), notes);
            }
            if (argv.isEmpty()) {
                throw new InjectException(c.where() + ": no command to run: " + c.noArgvAtAll());
            }
        }
        String user = c.declaredUser() != null ? c.declaredUser() : imageUser;
        return new ProtectionPlan(argv == null ? null : List.copyOf(argv), user, runsAsRoot(user));
    }

    private static ImageConfig imageConfig(Container c, ImageConfigSource images) throws InjectException {
        if (c.image() == null || c.image().isEmpty()) {
            throw new InjectException(c.where() + ": image: missing");
        }
        try {
            return images.config(c.image(), c.platform());
        } catch (RegistryException e) {
            throw new InjectException(c.where() + ": " + c.noArgvHere() + ", so Ward must read the image's: "
                    + e.getMessage());
        }
    }

    /** Docker's USER: {@code name}, {@code uid}, either with {@code :group}; empty means root. */
    static boolean runsAsRoot(String user) {
        String u = user == null ? "" : user.strip();
        String who = u.contains(":") ? u.substring(0, u.indexOf(':')) : u;
        return who.isEmpty() || who.equals("0") || who.equals("root");
    }
}
