export * from "./config";
export * from "./constants";
export * from "./hosts";
export * from "./ipv4";
export * from "./methods";
export * from "./plan";
export * from "./rounds";
export * from "./subnetClaims";
