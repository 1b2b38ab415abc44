/**
 * The only package of Ward that calls native code. Everything goes through {@code java.lang.foreign}:
 * no JNI, no C of our own.
 *
 * <p>Shape: one public Java-typed façade per syscall family ({@link dev.ward.bindings.Ptrace},
 * {@link dev.ward.bindings.Seccomp}, {@link dev.ward.bindings.Spawn}, {@link dev.ward.bindings.Signals},
 * {@link dev.ward.bindings.ProcFs}), backed by the package-private {@code Libc} method-handle table.
 * Struct layouts are constants with tested sizes and offsets ({@link dev.ward.bindings.Regs},
 * {@code Structs}). errno is captured per call with {@code Linker.Option.captureCallState}, into a
 * segment owned by the calling thread. Failures raise {@link dev.ward.bindings.NativeException}
 * with the call, the errno name and a likely cause.
 *
 * <p>x86_64 and aarch64 Linux. Everything that differs between them (syscall numbers, register layout, the
 * seccomp audit arch and foreign ABIs, a few flags and struct layouts) lives in {@link dev.ward.bindings.Arch}
 * and its one subclass per architecture.
 */
package dev.ward.bindings;
