import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step of ward-cli (run by the java source launcher from its pom): rewrites, in the jars of a directory, the
 * classes compiled for Java 5 or older as Java 8 class files, with the stack maps the newer format needs. A JDK 25
 * AOT cache cannot hold such classes ("unlinked class not supported"): every command would read them from their
 * jar and check them with the old verifier at each start. picocli, which every command builds its model with, is
 * compiled for Java 5: ~170 classes, a fifth of `ward version`'s CPU time. The bytecode itself is kept as it is.
 *
 * <p>Usage: {@code java UpgradeClassFiles.java LIB_DIR PREFIX...}: the jars of LIB_DIR whose name starts with a
 * PREFIX (the pom names picocli's alone: the only one the commands' start needs). Signed jars are left alone; a jar
 * with a class that cannot be rewritten (jsr/ret subroutines, say) is left unchanged, with a note.
 */
public final class UpgradeClassFiles {
    private static final int OLDEST_CACHEABLE = ClassFile.JAVA_6_VERSION;

    private UpgradeClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: java UpgradeClassFiles.java LIB_DIR PREFIX... (a directory of jars, the names of"
                    + " those to rewrite)");
            System.exit(2);
        }
        List<String> prefixes = List.of(args).subList(1, args.length);
        List<Path> jars;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            if (prefixes.stream().anyMatch(name::startsWith)) {
                upgrade(jar, jars);
            }
        }
    }

    private static void upgrade(Path jar, List<Path> classPath) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            boolean old = false;
            for (ZipEntry e : Collections.list(zip.entries())) {
                String name = e.getName();
                if (name.startsWith("META-INF/") && name.endsWith(".SF")) {
                    return; // signed: a rewritten class would no longer match its signature
                }
                if (name.endsWith(".class") && !name.startsWith("META-INF/") && majorVersion(zip, e) < OLDEST_CACHEABLE) {
                    old = true;
                }
            }
            if (!old) {
                return;
            }
            Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
            try {
                int n = rewrite(zip, tmp, resolver(classPath));
                Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
                System.out.println("UpgradeClassFiles: " + jar.getFileName() + ": " + n + " classes rewritten as Java 8");
            } catch (IllegalArgumentException | IllegalStateException e) {
                Files.deleteIfExists(tmp);
                System.out.println("UpgradeClassFiles: " + jar.getFileName() + " left as it is: " + e.getMessage());
            }
        }
    }

    private static int rewrite(ZipFile zip, Path target, ClassHierarchyResolver resolver) throws IOException {
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver));
        ClassTransform toJava8 = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                .andThen(ClassTransform.endHandler(b -> b.withVersion(ClassFile.JAVA_8_VERSION, 0)));
        int rewritten = 0;
        try (OutputStream file = Files.newOutputStream(target); ZipOutputStream out = new ZipOutputStream(file)) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    ClassModel model = cf.parse(bytes);
                    if (model.majorVersion() < OLDEST_CACHEABLE) {
                        bytes = cf.transformClass(model, toJava8);
                        rewritten++;
                    }
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        return rewritten;
    }

    private static int majorVersion(ZipFile zip, ZipEntry e) throws IOException {
        byte[] head = zip.getInputStream(e).readNBytes(8);
        return head.length < 8 ? Integer.MAX_VALUE : ((head[6] & 0xff) << 8) | (head[7] & 0xff);
    }

    /** The stack maps need the supertypes of the classes they merge: the JDK's, and the jars' of the directory. */
    private static ClassHierarchyResolver resolver(List<Path> classPath) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (Path p : classPath) {
            urls.add(p.toUri().toURL());
        }
        ClassLoader jars = new URLClassLoader(urls.toArray(URL[]::new), null);
        return ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(jars));
    }
}
