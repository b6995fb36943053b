//! HMAC-SHA256 with the key's inner and outer states precomputed as 32 bytes each.
//!
//! Why not the `hmac` crate's `Hmac<Sha256>`: cloning its state costs ~200 bytes per signature and
//! each of the 4 `update` calls per field goes through its generic block buffer; profiling the
//! derive's signer showed that overhead exceeding the two compressions precomputation saves. The
//! compression itself is `sha2`'s (SHA-NI where the CPU has it); this module only keeps the block
//! buffer and the padding, and is checked against the `hmac` crate by the test vectors and by
//! property tests over random keys and messages.

use sha2::block_api::compress256;

const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The states after hashing `key ^ ipad` and `key ^ opad`: all an HMAC needs from the key.
#[derive(Clone)]
pub(crate) struct KeyStates {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl KeyStates {
    pub(crate) fn new(key: &[u8]) -> KeyStates {
        let mut block = [0u8; 64];
        if key.len() > 64 {
            let mut s = Sha256Stream::from_iv();
            s.write(key);
            block[..32].copy_from_slice(&s.finish());
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut inner = IV;
        let mut outer = IV;
        compress256(&mut inner, &[block.map(|b| b ^ 0x36)]);
        compress256(&mut outer, &[block.map(|b| b ^ 0x5c)]);
        KeyStates { inner, outer }
    }

    /// A MAC in progress.
    pub(crate) fn start(&self) -> Mac<'_> {
        Mac {
            key: self,
            inner: Sha256Stream {
                state: self.inner,
                buf: [0; 64],
                pos: 0,
                len: 64,
            },
        }
    }
}

/// An HMAC-SHA256 in progress.
pub(crate) struct Mac<'k> {
    key: &'k KeyStates,
    inner: Sha256Stream,
}

impl Mac<'_> {
    #[inline]
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.inner.write(data);
    }

    pub(crate) fn finish(self) -> [u8; 32] {
        let inner = self.inner.finish();
        let mut outer = Sha256Stream {
            state: self.key.outer,
            buf: [0; 64],
            pos: 0,
            len: 64,
        };
        outer.write(&inner);
        outer.finish()
    }
}

/// SHA-256 from a given state: a 64-byte block buffer and the total length for the padding.
struct Sha256Stream {
    state: [u32; 8],
    buf: [u8; 64],
    pos: usize,
    len: u64,
}

impl Sha256Stream {
    fn from_iv() -> Sha256Stream {
        Sha256Stream {
            state: IV,
            buf: [0; 64],
            pos: 0,
            len: 0,
        }
    }

    #[inline]
    fn write(&mut self, data: &[u8]) {
        self.len += data.len() as u64;
        // The signer writes many short pieces: most fit in the block being filled.
        let end = self.pos + data.len();
        if end < 64 {
            self.buf[self.pos..end].copy_from_slice(data);
            self.pos = end;
            return;
        }
        self.write_blocks(data);
    }

    fn write_blocks(&mut self, mut data: &[u8]) {
        if self.pos > 0 {
            let n = (64 - self.pos).min(data.len());
            self.buf[self.pos..self.pos + n].copy_from_slice(&data[..n]);
            self.pos += n;
            data = &data[n..];
            if self.pos < 64 {
                return;
            }
            compress256(&mut self.state, std::slice::from_ref(&self.buf));
            self.pos = 0;
        }
        let (blocks, rest) = data.as_chunks::<64>();
        if !blocks.is_empty() {
            compress256(&mut self.state, blocks);
        }
        self.buf[..rest.len()].copy_from_slice(rest);
        self.pos = rest.len();
    }

    fn finish(mut self) -> [u8; 32] {
        let bits = self.len.wrapping_mul(8);
        self.buf[self.pos] = 0x80;
        self.buf[self.pos + 1..].fill(0);
        if self.pos >= 56 {
            compress256(&mut self.state, std::slice::from_ref(&self.buf));
            self.buf = [0; 64];
        }
        self.buf[56..].copy_from_slice(&bits.to_be_bytes());
        compress256(&mut self.state, std::slice::from_ref(&self.buf));
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{KeyInit, Mac as _};

    fn reference(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
        for p in parts {
            mac.update(p);
        }
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn equals_the_hmac_crate_for_every_length_and_split() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for key_len in [0, 1, 9, 32, 63, 64, 65, 100, 200] {
            let key = &data[..key_len];
            let states = KeyStates::new(key);
            for len in 0..=200 {
                let msg = &data[50..50 + len];
                let mut mac = states.start();
                mac.update(msg);
                assert_eq!(
                    mac.finish(),
                    reference(key, &[msg]),
                    "key {key_len}, len {len}"
                );
                // Split into uneven pieces, as the signer writes `&`, name, `=`, value.
                let mut mac = states.start();
                let mut rest = msg;
                let mut step = 1;
                while !rest.is_empty() {
                    let n = step.min(rest.len());
                    mac.update(&rest[..n]);
                    rest = &rest[n..];
                    step = step * 3 % 71 + 1;
                }
                assert_eq!(
                    mac.finish(),
                    reference(key, &[msg]),
                    "split, key {key_len}, len {len}"
                );
            }
        }
    }
}
