import { hostMethods } from "../../host/preflight";
import { Method } from "../../model";

/** The methods the study measures: every registered method this host supports. */
export function studyMethods(): readonly Method[] {
    return hostMethods().methods;
}
