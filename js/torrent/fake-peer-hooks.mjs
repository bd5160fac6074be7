// Node module hooks (module.register): the bittorrent-tracker client's WebRTC peer class resolves
// to ./fake-peer.mjs instead of @thaunknown/simple-peer, whose native WebRTC engine is not built here.
const fake = new URL('./fake-peer.mjs', import.meta.url).href

export async function resolve (specifier, context, next) {
  if (specifier === '@thaunknown/simple-peer/lite.js' || specifier === '@thaunknown/simple-peer') {
    return { url: fake, shortCircuit: true }
  }
  return next(specifier, context)
}
