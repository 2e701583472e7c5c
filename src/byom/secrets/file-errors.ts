import { SecretStoreError } from "./secret-store.js";

/** A file-system failure as a `SecretStoreError`: "denied" for permissions, otherwise "unavailable". */
export function describeFileError(error: unknown, action: string): SecretStoreError {
  if (error instanceof SecretStoreError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") {
    return new SecretStoreError("denied", `Could not ${action}: permission denied.`);
  }
  const reasons: Record<string, string> = {
    ENOSPC: "the disk is full",
    EROFS: "the file system is read-only",
    ENOTDIR: "a part of the path is not a folder",
    EISDIR: "the path is a folder",
    EMFILE: "too many files are open",
  };
  const reason = (code === undefined ? undefined : reasons[code]) ?? (code === undefined ? "an unexpected error" : `error ${code}`);
  return new SecretStoreError("unavailable", `Could not ${action}: ${reason}.`);
}
