import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { type Environment, variable } from "./environment.js";

/** The shared AWS files where the SDK looks for profiles, as the SDK finds them. */
export interface AwsProfileFiles {
  /** `AWS_CONFIG_FILE`, or `~/.aws/config`. */
  config: string;
  /** `AWS_SHARED_CREDENTIALS_FILE`, or `~/.aws/credentials`. */
  credentials: string;
}

export function awsProfileFiles(environment: Environment): AwsProfileFiles {
  const home = variable(environment, "HOME") ?? variable(environment, "USERPROFILE") ?? homedir();
  const expand = (file: string) => (file === "~" || file.startsWith("~/") ? path.join(home, file.slice(1)) : file);
  return {
    config: expand(variable(environment, "AWS_CONFIG_FILE") ?? path.join(home, ".aws", "config")),
    credentials: expand(variable(environment, "AWS_SHARED_CREDENTIALS_FILE") ?? path.join(home, ".aws", "credentials")),
  };
}

/**
 * Whether either file has a section for the profile: `[profile NAME]` (or `[NAME]`) in the config
 * file, `[NAME]` in the credentials file. A file that cannot be read has none.
 */
export function hasAwsProfile(profile: string, files: AwsProfileFiles): boolean {
  return [files.config, files.credentials].some((file) => profilesIn(file).has(profile));
}

function profilesIn(file: string): Set<string> {
  const names = new Set<string>();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return names;
  }
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[\s*(?:profile\s+)?([^\]]+?)\s*\]\s*(?:[#;].*)?$/.exec(line);
    if (section?.[1] !== undefined) names.add(section[1]);
  }
  return names;
}
