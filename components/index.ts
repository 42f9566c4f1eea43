export { Lab, LabArgs } from "./lab";
export { MethodLab, MethodLabArgs } from "./methodLab";
export { IperfServer, IperfServerArgs } from "./iperfServer";
export { IperfClient, IperfClientArgs } from "./iperfClient";
export { Attachment, AttachmentArgs } from "./attachment";
export { Benchmark, BenchmarkArgs } from "./benchmark";
