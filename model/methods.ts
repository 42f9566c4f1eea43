export { METHODS, Method, isMethod, methodModule, LIMIT_METHOD } from "../methods/registry";
