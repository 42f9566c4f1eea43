export { METHODS, Method, isMethod, methodModule, limitMethod } from "../methods/registry";
