//! The records of a run, kept out of memory: a record of a planned case is written, as it
//! arrives, to an unnamed temporary file in a compact form (only what the probe observed;
//! what the plan says is taken from the plan again), and each report reads the records
//! back one at a time, in order. The memory a run holds per record is one 16-byte place,
//! not the record: a 100,000-probe run no longer grows by 30 MB of records.
//!
//! Records the plan does not hold (re-runs with escalated credentials, basic-flow cases on
//! roles seen in the run, records read from evidence files) stay in memory, as does every
//! record once the file cannot be made or written: the store never loses one. A record that
//! cannot be read back is reported Inconclusive, never as a pass.

use super::unsent_record::unsent_record;
use crate::probe::denial::DenialLayer;
use crate::probe::{Outcome, ProbeRecord, ReadEvidence, Verdict};
use crate::scenario::waiver::RecordWaiver;
use crate::scenario::{Plan, PlannedProbe, SharedName};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many distinct texts (API calls, reasons, error codes and messages) the store numbers;
/// a text beyond them is written out in full in each record that has it, so a server that
/// answers something new every time cannot make the table grow without bound.
const MOST_TEXTS: usize = 65_536;

/// Written records are handed to the file in batches of about this many bytes.
const WRITE_BATCH: usize = 64 * 1024;

/// A report reads the file in windows of this many bytes: records arrive nearly in plan
/// order, so a window holds the next records a reader wants.
const READ_WINDOW: usize = 256 * 1024;

/// The records of one run, in order.
pub struct RecordStore {
    plan: Option<Arc<Plan>>,
    places: Vec<Place>,
    /// The records kept in memory, which [`Place::HELD`] places point into.
    held: Vec<ProbeRecord>,
    spill: Option<Spill>,
    texts: Texts,
}

/// Where one record is: `len` bytes at `offset` of the spill for the plan's case `case`, or
/// `held[offset]` when `case` is [`Place::HELD`].
#[derive(Debug, Clone, Copy)]
struct Place {
    offset: u64,
    len: u32,
    case: u32,
}

impl Place {
    const HELD: u32 = u32::MAX;
}

/// The unnamed file and the bytes not yet handed to it.
struct Spill {
    file: File,
    /// Bytes at offsets below this are in the file.
    flushed: u64,
    /// The bytes from `flushed` on. Kept until the file has them: when a write fails, they
    /// stay here, and so does everything written after.
    pending: Vec<u8>,
    broken: bool,
}

/// The texts records repeat, numbered.
#[derive(Default)]
struct Texts {
    all: Vec<SharedName>,
    ids: HashMap<SharedName, u32>,
    most: usize,
}

impl RecordStore {
    /// A store that writes the records of `plan`'s cases to an unnamed file in the system's
    /// temporary directory, or keeps them in memory if it cannot make one.
    pub fn for_plan(plan: Arc<Plan>) -> RecordStore {
        RecordStore::spilling_into(plan, &std::env::temp_dir())
    }

    /// [`RecordStore::for_plan`] with the file in `dir`.
    pub fn spilling_into(plan: Arc<Plan>, dir: &Path) -> RecordStore {
        RecordStore {
            plan: Some(plan),
            places: Vec::new(),
            held: Vec::new(),
            spill: Spill::create(dir).ok(),
            texts: Texts {
                most: MOST_TEXTS,
                ..Texts::default()
            },
        }
    }

    /// Whether records of planned cases go to a file (false once it could not be made).
    pub fn spills(&self) -> bool {
        self.spill.as_ref().is_some_and(|spill| !spill.broken)
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Makes room for `more` records, so that the places grow once, not by doubling.
    pub fn reserve(&mut self, more: usize) {
        self.places.reserve_exact(more);
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Appends `record`, the record of the plan's case `case` when it is one, and returns
    /// its position.
    pub fn push(&mut self, record: ProbeRecord, case: Option<usize>) -> usize {
        let place = self.place_for(record, case);
        self.places.push(place);
        self.places.len() - 1
    }

    /// Replaces the record at `at`.
    pub fn set(&mut self, at: usize, record: ProbeRecord) {
        let case = self.places[at].case;
        let case = (case != Place::HELD).then_some(case as usize);
        self.places[at] = self.place_for(record, case);
    }

    /// Keeps the records at `positions`, in that order (a position may not repeat).
    pub fn reorder(&mut self, positions: &[usize]) {
        self.places = positions.iter().map(|at| self.places[*at]).collect();
    }

    /// The record at `at`.
    pub fn get(&self, at: usize) -> Option<ProbeRecord> {
        let place = *self.places.get(at)?;
        Some(Reader::new(self, 0).read(place))
    }

    /// Every record, in order, each read back as it is reached.
    pub fn iter(&self) -> Records<'_> {
        Records {
            reader: Reader::new(self, READ_WINDOW),
            places: self.places.iter(),
        }
    }

    /// The records at `positions`, in that order.
    pub fn at_positions<'s>(
        &'s self,
        positions: &'s [usize],
    ) -> impl Iterator<Item = ProbeRecord> + 's {
        let mut reader = Reader::new(self, READ_WINDOW);
        positions
            .iter()
            .filter_map(|at| self.places.get(*at))
            .map(move |place| reader.read(*place))
    }

    /// Calls `revise` on each record in order and stores again those it changed (it
    /// returns true for them); returns their positions.
    pub fn revise(&mut self, mut revise: impl FnMut(&mut ProbeRecord) -> bool) -> Vec<usize> {
        let mut revised = Vec::new();
        let mut changed = Vec::new();
        for (at, mut record) in self.iter().enumerate() {
            if revise(&mut record) {
                revised.push(at);
                changed.push((at, record));
            }
        }
        for (at, record) in changed {
            self.set(at, record);
        }
        revised
    }

    fn place_for(&mut self, record: ProbeRecord, case: Option<usize>) -> Place {
        let planned = case
            .and_then(|case| Some((case, self.plan.as_ref()?.probes.get(case)?)))
            .filter(|(_, probe)| is_of(&record, probe))
            .and_then(|(case, _)| u32::try_from(case).ok().filter(|case| *case != Place::HELD));
        if let (Some(case), Some(spill)) = (planned, self.spill.as_mut()) {
            let mut bytes = Vec::with_capacity(128);
            encode(&record, &mut self.texts, &mut bytes);
            if let Ok(len) = u32::try_from(bytes.len()) {
                let offset = spill.append(&bytes);
                return Place { offset, len, case };
            }
        }
        self.held.push(record);
        Place {
            offset: (self.held.len() - 1) as u64,
            len: 0,
            case: Place::HELD,
        }
    }
}

/// Whether `record` says of its case exactly what the plan's `probe` says, so that only
/// what was observed needs writing.
fn is_of(record: &ProbeRecord, probe: &PlannedProbe) -> bool {
    record.name == probe.name
        && record.user == probe.user
        && record.tenant == probe.tenant
        && record.resource == probe.resource
        && record.target == probe.target
        && record.action == probe.action
        && record.expectation == probe.expectation
        && record.source == probe.source
        && record.shape == probe.shape
}

impl Spill {
    fn create(dir: &Path) -> io::Result<Spill> {
        static MADE: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.subsec_nanos());
        let path = dir.join(format!(
            "xtenant-records-{}-{nanos}-{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        ));
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path)?;
        // Unlinked at once: the file lives as long as the store holds it open, and nothing
        // is left behind however the process ends.
        std::fs::remove_file(&path)?;
        Ok(Spill {
            file,
            flushed: 0,
            pending: Vec::new(),
            broken: false,
        })
    }

    /// Appends `bytes` and returns their offset.
    fn append(&mut self, bytes: &[u8]) -> u64 {
        let offset = self.flushed + self.pending.len() as u64;
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= WRITE_BATCH {
            self.write_pending();
        }
        offset
    }

    fn write_pending(&mut self) {
        if self.broken || self.pending.is_empty() {
            return;
        }
        match write_at(&self.file, &self.pending, self.flushed) {
            Ok(()) => {
                self.flushed += self.pending.len() as u64;
                self.pending.clear();
            }
            // The bytes stay in `pending`, and every later record with them.
            Err(_) => self.broken = true,
        }
    }

    /// Reads into `window` the `len` bytes at `offset` and, when they are in the file, up
    /// to `ahead` bytes from there on. A record is all in the file or all in `pending`:
    /// batches are written whole.
    fn read_window(
        &self,
        offset: u64,
        len: usize,
        ahead: usize,
        window: &mut Vec<u8>,
    ) -> io::Result<()> {
        window.clear();
        let beyond = || io::Error::other("a record beyond the end of the store");
        if offset >= self.flushed {
            let start = usize::try_from(offset - self.flushed).map_err(io::Error::other)?;
            let end = start.checked_add(len).ok_or_else(beyond)?;
            window.extend_from_slice(self.pending.get(start..end).ok_or_else(beyond)?);
            return Ok(());
        }
        let in_file = usize::try_from(self.flushed - offset).unwrap_or(usize::MAX);
        if len > in_file {
            return Err(beyond());
        }
        window.resize(len.max(ahead).min(in_file), 0);
        read_at(&self.file, window, offset)
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(not(unix))]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn read_at(file: &File, bytes: &mut [u8], offset: u64) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(bytes)
}

/// The records of a store, in order, each read back as it is reached.
pub struct Records<'s> {
    reader: Reader<'s>,
    places: std::slice::Iter<'s, Place>,
}

impl Iterator for Records<'_> {
    type Item = ProbeRecord;

    fn next(&mut self) -> Option<ProbeRecord> {
        let place = *self.places.next()?;
        Some(self.reader.read(place))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.places.size_hint()
    }
}

impl ExactSizeIterator for Records<'_> {}

/// Reads records back through a window of the file, which holds the records after the one
/// read (`ahead` bytes of them) for the reads that follow.
struct Reader<'s> {
    store: &'s RecordStore,
    ahead: usize,
    window: Vec<u8>,
    window_start: u64,
}

impl<'s> Reader<'s> {
    fn new(store: &'s RecordStore, ahead: usize) -> Reader<'s> {
        Reader {
            store,
            ahead,
            window: Vec::new(),
            window_start: 0,
        }
    }

    fn read(&mut self, place: Place) -> ProbeRecord {
        let store = self.store;
        if place.case == Place::HELD {
            return store.held[place.offset as usize].clone();
        }
        let (Some(plan), Some(spill)) = (&store.plan, &store.spill) else {
            unreachable!("a spilled place without its plan and file")
        };
        let probe = &plan.probes[place.case as usize];
        let len = place.len as usize;
        let in_window = place
            .offset
            .checked_sub(self.window_start)
            .and_then(|start| usize::try_from(start).ok())
            .filter(|start| start + len <= self.window.len());
        let start = match in_window {
            Some(start) => Ok(start),
            None => spill
                .read_window(place.offset, len, self.ahead, &mut self.window)
                .map(|()| {
                    self.window_start = place.offset;
                    0
                }),
        };
        let decoded = start.map_err(|error| error.to_string()).and_then(|start| {
            decode(probe, &store.texts, &self.window[start..start + len])
                .ok_or_else(|| "its bytes do not decode".to_owned())
        });
        decoded.unwrap_or_else(|why| {
            self.window.clear();
            unsent_record(
                probe,
                format!("the run's record of this case could not be read back ({why}): nothing is proved"),
                0,
            )
        })
    }
}

impl<'s> IntoIterator for &'s RecordStore {
    type Item = ProbeRecord;
    type IntoIter = Records<'s>;

    fn into_iter(self) -> Records<'s> {
        self.iter()
    }
}

impl From<Vec<ProbeRecord>> for RecordStore {
    /// A store that holds `records` in memory.
    fn from(records: Vec<ProbeRecord>) -> RecordStore {
        let places = (0..records.len())
            .map(|at| Place {
                offset: at as u64,
                len: 0,
                case: Place::HELD,
            })
            .collect();
        RecordStore {
            plan: None,
            places,
            held: records,
            spill: None,
            texts: Texts::default(),
        }
    }
}

impl Default for RecordStore {
    fn default() -> RecordStore {
        RecordStore::from(Vec::new())
    }
}

/// The records themselves, as the list they replace showed them.
impl fmt::Debug for RecordStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for RecordStore {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for RecordStore {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RecordStore, D::Error> {
        Vec::<ProbeRecord>::deserialize(deserializer).map(RecordStore::from)
    }
}

// The evidence schema must not change: the store is described as the list it serializes.
impl JsonSchema for RecordStore {
    fn inline_schema() -> bool {
        Vec::<ProbeRecord>::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        Vec::<ProbeRecord>::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        Vec::<ProbeRecord>::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        Vec::<ProbeRecord>::json_schema(generator)
    }
}

// The compact form: what the probe observed, little-endian. A text is the number of a text
// in the store's table, or INLINE and its bytes; NONE is an absent optional text. The rare
// boxed parts (read evidence, waiver) are JSON, empty when absent.
const INLINE: u32 = u32::MAX;
const NONE: u32 = u32::MAX - 1;

impl Texts {
    fn encode(&mut self, text: &SharedName, out: &mut Vec<u8>) {
        let id = match self.ids.get(text) {
            Some(id) => Some(*id),
            None if self.all.len() < self.most => {
                let id = self.all.len() as u32;
                self.all.push(text.clone());
                self.ids.insert(text.clone(), id);
                Some(id)
            }
            None => None,
        };
        match id {
            Some(id) => out.extend_from_slice(&id.to_le_bytes()),
            None => {
                out.extend_from_slice(&INLINE.to_le_bytes());
                put_bytes(text.as_bytes(), out);
            }
        }
    }

    fn encode_option(&mut self, text: Option<&SharedName>, out: &mut Vec<u8>) {
        match text {
            Some(text) => self.encode(text, out),
            None => out.extend_from_slice(&NONE.to_le_bytes()),
        }
    }

    fn decode(&self, input: &mut Input<'_>) -> Option<SharedName> {
        self.decode_option(input)?
    }

    fn decode_option(&self, input: &mut Input<'_>) -> Option<Option<SharedName>> {
        match input.u32()? {
            NONE => Some(None),
            INLINE => {
                let bytes = input.bytes()?;
                Some(Some(SharedName::from(std::str::from_utf8(bytes).ok()?)))
            }
            id => Some(Some(self.all.get(id as usize)?.clone())),
        }
    }
}

fn put_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&bytes[..len as usize]);
}

fn put_json<T: Serialize>(value: Option<&T>, out: &mut Vec<u8>) {
    let json = value
        .and_then(|value| serde_json::to_vec(value).ok())
        .unwrap_or_default();
    put_bytes(&json, out);
}

fn encode(record: &ProbeRecord, texts: &mut Texts, out: &mut Vec<u8>) {
    texts.encode(&record.api_call, out);
    texts.encode(&record.method, out);
    out.push(verdict_code(record.verdict));
    out.push(outcome_code(record.outcome));
    out.extend_from_slice(
        &record
            .http_status
            .map_or(0u32, |s| u32::from(s) + 1)
            .to_le_bytes(),
    );
    texts.encode_option(record.error_code.as_ref(), out);
    texts.encode_option(record.error_message.as_ref(), out);
    texts.encode_option(record.denied_action.as_ref(), out);
    out.push(record.denial_layer.map_or(0, |layer| layer_code(layer) + 1));
    out.push(
        record
            .denial_explicit
            .map_or(0, |explicit| u8::from(explicit) + 1),
    );
    match &record.request_id {
        Some(id) => {
            out.push(1);
            put_bytes(id.as_bytes(), out);
        }
        None => out.push(0),
    }
    texts.encode(&record.reason, out);
    out.extend_from_slice(&record.duration_ms.to_le_bytes());
    put_json(record.read_evidence.as_deref(), out);
    put_json(record.waiver.as_deref(), out);
}

fn decode(probe: &PlannedProbe, texts: &Texts, bytes: &[u8]) -> Option<ProbeRecord> {
    let mut input = Input { bytes };
    let api_call = texts.decode(&mut input)?;
    let method = texts.decode(&mut input)?;
    let verdict = verdict_of(input.u8()?)?;
    let outcome = outcome_of(input.u8()?)?;
    let http_status = match input.u32()? {
        0 => None,
        status => Some(u16::try_from(status - 1).ok()?),
    };
    let error_code = texts.decode_option(&mut input)?;
    let error_message = texts.decode_option(&mut input)?;
    let denied_action = texts.decode_option(&mut input)?;
    let denial_layer = match input.u8()? {
        0 => None,
        code => Some(layer_of(code - 1)?),
    };
    let denial_explicit = match input.u8()? {
        0 => None,
        1 => Some(false),
        2 => Some(true),
        _ => return None,
    };
    let request_id = match input.u8()? {
        0 => None,
        _ => Some(std::str::from_utf8(input.bytes()?).ok()?.to_owned()),
    };
    let reason = texts.decode(&mut input)?;
    let duration_ms = input.u64()?;
    let read_evidence = input.json::<ReadEvidence>()?.map(Box::new);
    let waiver = input.json::<RecordWaiver>()?.map(Box::new);
    input.bytes.is_empty().then(|| ProbeRecord {
        name: probe.name.clone(),
        user: probe.user.clone(),
        tenant: probe.tenant.clone(),
        resource: probe.resource.clone(),
        target: probe.target.clone(),
        action: probe.action.clone(),
        expectation: probe.expectation,
        source: probe.source.clone(),
        shape: probe.shape.clone(),
        api_call,
        method,
        verdict,
        outcome,
        http_status,
        error_code,
        error_message,
        denied_action,
        denial_layer,
        denial_explicit,
        request_id,
        reason,
        duration_ms,
        read_evidence,
        waiver,
    })
}

struct Input<'b> {
    bytes: &'b [u8],
}

impl<'b> Input<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        if self.bytes.len() < n {
            return None;
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(taken)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn bytes(&mut self) -> Option<&'b [u8]> {
        let len = self.u32()? as usize;
        self.take(len)
    }

    fn json<T: serde::de::DeserializeOwned>(&mut self) -> Option<Option<T>> {
        match self.bytes()? {
            [] => Some(None),
            json => Some(Some(serde_json::from_slice(json).ok()?)),
        }
    }
}

fn verdict_code(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Allowed => 0,
        Verdict::Denied => 1,
        Verdict::Inconclusive => 2,
    }
}

fn verdict_of(code: u8) -> Option<Verdict> {
    [Verdict::Allowed, Verdict::Denied, Verdict::Inconclusive]
        .into_iter()
        .find(|verdict| verdict_code(*verdict) == code)
}

fn outcome_code(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Held => 0,
        Outcome::Breach => 1,
        Outcome::UnexpectedDeny => 2,
        Outcome::Inconclusive => 3,
    }
}

fn outcome_of(code: u8) -> Option<Outcome> {
    [
        Outcome::Held,
        Outcome::Breach,
        Outcome::UnexpectedDeny,
        Outcome::Inconclusive,
    ]
    .into_iter()
    .find(|outcome| outcome_code(*outcome) == code)
}

const LAYERS: [DenialLayer; 8] = [
    DenialLayer::Identity,
    DenialLayer::Resource,
    DenialLayer::Boundary,
    DenialLayer::Session,
    DenialLayer::Scp,
    DenialLayer::Rcp,
    DenialLayer::VpcEndpoint,
    DenialLayer::Unknown,
];

fn layer_code(layer: DenialLayer) -> u8 {
    match layer {
        DenialLayer::Identity => 0,
        DenialLayer::Resource => 1,
        DenialLayer::Boundary => 2,
        DenialLayer::Session => 3,
        DenialLayer::Scp => 4,
        DenialLayer::Rcp => 5,
        DenialLayer::VpcEndpoint => 6,
        DenialLayer::Unknown => 7,
    }
}

fn layer_of(code: u8) -> Option<DenialLayer> {
    LAYERS.into_iter().find(|layer| layer_code(*layer) == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::waiver::{WaiverState, parse_date};
    use crate::scenario::{
        Action, Expectation, ExpectationSource, ProbeName, RequestShape, ResourceTarget, Waiver,
    };

    fn plan(cases: usize) -> Arc<Plan> {
        let target: Arc<ResourceTarget> = ResourceTarget::S3Object {
            bucket: "data".to_owned(),
            key: "acme/x".to_owned(),
        }
        .into();
        let probes = (0..cases)
            .map(|n| PlannedProbe {
                name: ProbeName::from(format!("alice::acme/x::{n}")),
                user: "alice".into(),
                tenant: "acme".into(),
                resource: "x".into(),
                target: target.clone(),
                action: if n.is_multiple_of(2) {
                    Action::Read
                } else {
                    Action::Api("s3:HeadObject".into())
                },
                expectation: if n % 3 == 0 {
                    Expectation::Allow
                } else {
                    Expectation::Deny
                },
                source: ExpectationSource::CrossTenantDefault.into(),
                shape: (n % 5 == 4).then(|| Box::new(RequestShape::NoPrefix)),
            })
            .collect();
        Arc::new(Plan {
            probes,
            not_exercised: Vec::new(),
            waivers: Vec::new(),
            lines: Default::default(),
            share: None,
        })
    }

    /// A record of `probe` with every observed field varied by `n`.
    fn record(probe: &PlannedProbe, n: usize) -> ProbeRecord {
        let mut record = unsent_record(probe, format!("reason {}", n % 7), n as u64);
        record.api_call = if n.is_multiple_of(2) {
            "s3:GetObject"
        } else {
            "s3:HeadObject"
        }
        .into();
        record.method = "direct".into();
        record.verdict = [Verdict::Allowed, Verdict::Denied, Verdict::Inconclusive][n % 3];
        record.outcome = [
            Outcome::Held,
            Outcome::Breach,
            Outcome::UnexpectedDeny,
            Outcome::Inconclusive,
        ][n % 4];
        record.http_status = (!n.is_multiple_of(4)).then_some([200, 403, 404][n % 3]);
        record.error_code = (n % 3 == 1).then(|| "AccessDenied".into());
        record.error_message = (n % 3 == 1).then(|| format!("denied, request {n}").into());
        record.denied_action = (n % 6 == 1).then(|| "kms:Decrypt".into());
        record.denial_layer = (n % 6 == 1).then_some(LAYERS[n % LAYERS.len()]);
        record.denial_explicit = [None, Some(false), Some(true)][n % 3];
        record.request_id = (!n.is_multiple_of(5)).then(|| format!("req-{n:08}"));
        record.read_evidence = (n % 9 == 2).then(|| {
            Box::new(ReadEvidence {
                size_bytes: n as u64,
                sha256_prefix: "0123456789abcdef".to_owned(),
            })
        });
        record.waiver = (n % 11 == 3).then(|| {
            Box::new(RecordWaiver {
                waiver: Waiver {
                    index: 0,
                    probe: "alice::*".to_owned(),
                    reason: "known".to_owned(),
                    ticket: "SEC-1".to_owned(),
                    expires: parse_date("2027-03-01").unwrap(),
                },
                state: WaiverState::Waived,
            })
        });
        record
    }

    fn records_of(plan: &Plan) -> Vec<ProbeRecord> {
        plan.probes
            .iter()
            .enumerate()
            .map(|(n, probe)| record(probe, n))
            .collect()
    }

    #[test]
    fn every_record_reads_back_as_it_was_stored_in_plan_order() {
        // Enough records that most are in the file and the rest still pending.
        let plan = plan(3000);
        let dir = tempfile::tempdir().unwrap();
        let mut store = RecordStore::spilling_into(plan.clone(), dir.path());
        let expected = records_of(&plan);
        // Records arrive out of order, as concurrent probes finish.
        let mut arrival: Vec<usize> = (0..expected.len()).collect();
        arrival.sort_by_key(|n| (n % 16, *n));
        let mut position = vec![0; expected.len()];
        for n in &arrival {
            position[*n] = store.push(expected[*n].clone(), Some(*n));
        }
        store.reorder(&position);
        assert!(store.spills());
        assert_eq!(store.held.len(), 0, "every planned record was written out");
        assert_eq!(store.len(), expected.len());
        let read: Vec<ProbeRecord> = store.iter().collect();
        assert_eq!(read, expected);
        assert_eq!(store.get(2999).as_ref(), expected.last());
        let some = [2999, 0, 1500];
        let picked: Vec<ProbeRecord> = store.at_positions(&some).collect();
        assert_eq!(picked, some.map(|n| expected[n].clone()));
        // The evidence lists the records exactly as it listed the vector.
        assert_eq!(
            serde_json::to_string(&store).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }

    #[test]
    fn the_file_is_gone_from_its_directory_from_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = RecordStore::spilling_into(plan(1), dir.path());
        store.push(record(&plan(1).probes[0], 1), Some(0));
        assert!(store.spills());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn without_a_file_every_record_is_kept_in_memory() {
        let plan = plan(40);
        let missing = tempfile::tempdir().unwrap().path().join("gone");
        let mut store = RecordStore::spilling_into(plan.clone(), &missing);
        assert!(!store.spills());
        let expected = records_of(&plan);
        for (n, record) in expected.iter().enumerate() {
            store.push(record.clone(), Some(n));
        }
        assert_eq!(store.iter().collect::<Vec<_>>(), expected);
    }

    #[test]
    fn a_record_that_does_not_match_its_case_or_has_none_is_kept_whole() {
        let plan = plan(3);
        let dir = tempfile::tempdir().unwrap();
        let mut store = RecordStore::spilling_into(plan.clone(), dir.path());
        let mut other = record(&plan.probes[0], 0);
        other.expectation = Expectation::Deny;
        other.source = ExpectationSource::Cell { index: 4 }.into();
        let added = record(&plan.probes[1], 1);
        store.push(other.clone(), Some(0));
        store.push(added.clone(), None);
        store.push(record(&plan.probes[2], 2), Some(7));
        assert_eq!(store.held.len(), 3);
        assert_eq!(store.get(0), Some(other));
        assert_eq!(store.get(1), Some(added));
    }

    #[test]
    fn revisions_are_read_back_and_reported_by_position() {
        let plan = plan(200);
        let dir = tempfile::tempdir().unwrap();
        let mut store = RecordStore::spilling_into(plan.clone(), dir.path());
        for (n, record) in records_of(&plan).into_iter().enumerate() {
            store.push(record, Some(n));
        }
        let revised = store.revise(|record| {
            let breach = record.outcome == Outcome::Breach;
            if breach {
                record.reason = "revised".into();
            }
            breach
        });
        assert_eq!(revised, (0..200).filter(|n| n % 4 == 1).collect::<Vec<_>>());
        for (n, record) in store.iter().enumerate() {
            assert_eq!(record.reason == "revised", n % 4 == 1, "record {n}");
        }
    }

    #[test]
    fn texts_beyond_the_table_are_written_out_in_full() {
        let plan = plan(50);
        let dir = tempfile::tempdir().unwrap();
        let mut store = RecordStore::spilling_into(plan.clone(), dir.path());
        store.texts.most = 3;
        let expected = records_of(&plan);
        for (n, record) in expected.iter().enumerate() {
            store.push(record.clone(), Some(n));
        }
        assert_eq!(store.texts.all.len(), 3);
        assert_eq!(store.iter().collect::<Vec<_>>(), expected);
    }

    #[test]
    fn a_record_that_cannot_be_read_back_is_inconclusive() {
        let plan = plan(3000);
        let dir = tempfile::tempdir().unwrap();
        let mut store = RecordStore::spilling_into(plan.clone(), dir.path());
        for (n, record) in records_of(&plan).into_iter().enumerate() {
            store.push(record, Some(n));
        }
        let spill = store.spill.as_ref().unwrap();
        assert!(spill.flushed > 0);
        // The file loses what it had; the records still pending are intact.
        spill.file.set_len(0).unwrap();
        let read: Vec<ProbeRecord> = store.iter().collect();
        assert_eq!(read.len(), 3000);
        assert_eq!(read[0].name, plan.probes[0].name);
        assert_eq!(read[0].outcome, Outcome::Inconclusive);
        assert!(
            read[0].reason.contains("could not be read back"),
            "{}",
            read[0].reason
        );
        assert_eq!(read[2999], record(&plan.probes[2999], 2999));
    }

    #[test]
    fn a_record_costs_one_small_place_in_memory() {
        assert_eq!(std::mem::size_of::<Place>(), 16);
    }

    #[test]
    fn its_schema_is_the_list_of_records() {
        assert_eq!(
            schemars::schema_for!(RecordStore),
            schemars::schema_for!(Vec<ProbeRecord>)
        );
    }
}
