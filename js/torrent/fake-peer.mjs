// Stands in for @thaunknown/simple-peer (WebRTC) under the bittorrent-tracker client in Node, where
// no WebRTC engine can be installed here: an initiator emits an SDP-shaped offer, a peer that is
// given an offer emits an answer naming it. The tracker only relays these objects, so the client
// library's own tracker code (announce, offers, answers, scrape, its socket handling) runs as in a
// browser. Real WebRTC is proven with Chromium (js/torrent/browser-e2e.mjs).
import { EventEmitter } from 'node:events'

let created = 0

export function resetFakePeers () {
  created = 0
}

export default class FakePeer extends EventEmitter {
  constructor (opts = {}) {
    super()
    this.initiator = Boolean(opts.initiator)
    this.number = ++created
    this.destroyed = false
    if (this.initiator) {
      queueMicrotask(() => {
        if (!this.destroyed) this.emit('signal', { type: 'offer', sdp: 'v=0 fake offer ' + this.number })
      })
    }
  }

  signal (data) {
    if (this.destroyed) return
    if (data && data.type === 'offer') {
      queueMicrotask(() => {
        if (!this.destroyed) this.emit('signal', { type: 'answer', sdp: 'v=0 fake answer to [' + data.sdp + ']' })
      })
    } else {
      this.remoteAnswer = data
    }
  }

  destroy () {
    if (this.destroyed) return
    this.destroyed = true
    this.emit('close')
  }
}

FakePeer.WEBRTC_SUPPORT = true
