import { METHODS, Method } from "../../model";

/** The methods the study measures: every method this host supports (one place to change it). */
export function studyMethods(): readonly Method[] {
    return METHODS;
}
