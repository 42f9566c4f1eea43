export { Lab, LabArgs } from "./lab";
export { MethodLab, MethodLabArgs } from "./methodLab";
export { IperfServer, IperfServerArgs } from "./iperfServer";
export { IperfClient, IperfClientArgs } from "./iperfClient";
export { OvsAttachment, OvsAttachmentArgs } from "./ovsAttachment";
export { PipeworkAttachment, PipeworkAttachmentArgs } from "./pipeworkAttachment";
export { MacvlanNatAttachment, MacvlanNatAttachmentArgs } from "./macvlanNatAttachment";
export { LinkAttachment, LinkAttachmentArgs, linkEnvironment } from "./linkAttachment";
export { Benchmark, BenchmarkArgs } from "./benchmark";
