/** The optional OpenBLAS-backed 'native' tfjs backend (see docs/performance.md). */
export { loadNativeAddon, nativeAddonPath, openBlasDefaults, type AddonLoad, type NativeInfo } from './addon.js';
export { BufferPool, type PoolStats } from './buffer-pool.js';
export { NativeBackend } from './native-backend.js';
export { NATIVE_BACKEND_NAME, registerNativeBackend } from './register-native.js';
export { formatNativeKernelStats, nativeKernelStats, resetNativeKernelStats, type KernelCount } from './stats.js';
