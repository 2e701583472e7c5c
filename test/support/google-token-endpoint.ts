/**
 * A Google OAuth token endpoint for service accounts: it checks the signed JWT
 * assertion (RS256, against the account's public key) and answers with an access token.
 */
import { generateKeyPairSync, type KeyObject, verify } from "node:crypto";
import type { ServiceAccountCredentials } from "../../src/llm/google/vertex-auth.js";
import { jsonResponse, type RecordedRequest, type ScriptedResponse } from "./scripted-server.js";

export interface LocalServiceAccount {
  credentials: ServiceAccountCredentials;
  publicKey: KeyObject;
}

/** A fresh service account whose key file sends the token exchange to `tokenUri`. */
export function createServiceAccount(tokenUri: string): LocalServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    publicKey,
    credentials: {
      type: "service_account",
      project_id: "demo-project",
      private_key_id: "0123456789abcdef",
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      client_email: "prose-runner@demo-project.iam.gserviceaccount.com",
      client_id: "100000000000000000001",
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: tokenUri,
    },
  };
}

export interface TokenClaims {
  iss?: string;
  scope?: string;
  aud?: string;
  exp?: number;
  iat?: number;
}

/** Handles `POST token_uri` with a JWT-bearer grant; rejects a bad signature as Google does (400 invalid_grant). */
export function tokenEndpoint(account: LocalServiceAccount, accessToken: string, seenClaims: TokenClaims[] = []): (request: RecordedRequest) => ScriptedResponse {
  return (request) => {
    const form = new URLSearchParams(request.rawBody.toString("utf8"));
    const claims = form.get("grant_type") === "urn:ietf:params:oauth:grant-type:jwt-bearer" ? verifiedClaims(form.get("assertion") ?? "", account.publicKey) : undefined;
    if (claims === undefined || claims.iss !== account.credentials.client_email) {
      return jsonResponse(400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
    }
    seenClaims.push(claims);
    return jsonResponse(200, { access_token: accessToken, expires_in: 3599, token_type: "Bearer" });
  };
}

function verifiedClaims(assertion: string, publicKey: KeyObject): TokenClaims | undefined {
  const [header, payload, signature] = assertion.split(".");
  if (header === undefined || payload === undefined || signature === undefined) return undefined;
  const signed = verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, "base64url"));
  return signed ? (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenClaims) : undefined;
}
