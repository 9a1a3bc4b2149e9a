/**
 * The panel's host layer: the Host interface, its Premiere implementation, and the pure helpers around it.
 * FakeHost is not exported here (it stays out of the panel bundle): import it from "./fake-host".
 */
export * from "./host";
export * from "./occupancy";
export { PremiereHost, loadPremiereModule, type PremiereHostEnv } from "./premiere-host";
