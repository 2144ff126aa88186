#!/usr/bin/python3
# test-a11y.py: the review journey on the first demo item, driven from
# outside the app through the accessibility tree, as a screen reader or a
# test robot would, then checked in the project file
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-window.c makes the same journey in-process through actions; this test
# only uses what AT-SPI offers: controls are found by role and accessible
# name, pressed through the Action interface and typed into through the
# EditableText interface. What is stored is then read back with
# `assay-cli export --format native`.
#
# Environment (set by tests/meson.build):
#   ASSAY_APP           the built `assay` executable
#   ASSAY_CLI           the built `assay-cli` executable
#   ASSAY_DEMO_PROJECT  the demo project; the test works on a private copy
#   GSETTINGS_SCHEMA_DIR, GSETTINGS_BACKEND=memory
#
# It needs a display and a session bus (build-aux/dev.sh test runs meson
# test in xvfb-run and dbus-run-session). The accessibility bus is started
# here when none is running. Without a display or a session bus the test
# fails: it never skips.

import getpass
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# Warnings are fatal in the app (G_DEBUG from tests/meson.build), but not in
# this process: the AT-SPI client library warns, for one, that GTK 4.8 has
# no cache object for it to read. GLib reads G_DEBUG when it is loaded, so
# this comes before gi is imported.
APP_G_DEBUG = os.environ.get('G_DEBUG')
os.environ['G_DEBUG'] = ','.join(flag for flag in (APP_G_DEBUG or '').split(',')
                                 if flag and not flag.startswith('fatal'))

import gi  # noqa: E402

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, Gio, GLib  # noqa: E402

APP_ID = 'io.github.assaylab.Assay'
APP_NAMES = ('assay', APP_ID)
FIRST_ITEM = 'podcast-small-margins-84'
FIRST_TEXT = 'Welcome back to Small Margins'
SECOND_TITLE = 'Diabetes follow-up with a new dental infection'
SECOND_TEXT = 'Come in, Mr. Feld'
RATIONALE = 'Invents a revenue figure, and a screen reader typed this.'
EXPECTED_WINNER = 'a'
ANNOTATOR_NAME = 'Dr. Ada Lund'
ANNOTATOR_ID = 'dr-ada-lund'
BUS_LAUNCHER = '/usr/libexec/at-spi-bus-launcher'
REGISTRYD = '/usr/libexec/at-spi2-registryd'

TIMEOUT = 30.0          # seconds to wait for anything the app should show
POLL = 0.1

pyatspi = None          # imported once the accessibility bus is up


class Failure(Exception):
    pass


class Test:
    def __init__(self):
        self.number = 0
        self.step = 'setup'
        self.tmp = None
        self.copy = None
        self.children = []          # (name, Popen) we started, killed at the end
        self.app = None
        self.app_log = None

    # ---- output ----

    def begin(self, step):
        self.step = step
        print(f'# {step}', flush=True)

    def ok(self, what):
        self.number += 1
        print(f'ok {self.number} - {what}', flush=True)

    def note(self, text):
        print(f'#   {text}', flush=True)

    def fail(self, message):
        raise Failure(message)

    # ---- processes ----

    def spawn(self, name, argv, **kwargs):
        # A process group of its own, so that what it starts goes with it.
        proc = subprocess.Popen(argv, start_new_session=True, **kwargs)
        self.children.append((name, proc))
        return proc

    def stop(self, name, proc, grace=5.0):
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
                self.note(f'{name} (pid {proc.pid}) did not stop on SIGTERM and was killed')

    def cleanup(self):
        for name, proc in reversed(self.children):
            try:
                self.stop(name, proc)
            except Exception as e:     # cleanup must go on
                print(f'# could not stop {name}: {e}', flush=True)
        if self.app_log is not None:
            self.app_log.close()
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def app_output(self):
        if self.tmp is None:
            return ''
        try:
            with open(os.path.join(self.tmp, 'app.log'), errors='replace') as f:
                return f.read()
        except OSError:
            return ''


def env_path(name):
    value = os.environ.get(name)
    if not value:
        raise Failure(f'{name} is not set (run the test through meson test)')
    if not os.path.exists(value):
        raise Failure(f'{name} is {value!r}, which does not exist')
    return value


def pump():
    """Lets the AT-SPI client library process the events it has received,
    so that what it caches follows the app."""
    context = GLib.MainContext.default()
    while context.pending():
        context.iteration(False)


def wait_for(what, predicate, timeout=TIMEOUT, app=None):
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        pump()
        try:
            result = predicate()
        except GLib.Error as e:     # an object went away while we looked
            result, last_error = None, e
        if result:
            return result
        if app is not None and app.poll() is not None:
            raise Failure(f'the app exited (status {app.returncode}) while waiting for {what}')
        if time.monotonic() > deadline:
            extra = f' (last error: {last_error.message})' if last_error else ''
            raise Failure(f'timed out after {timeout:.0f} s waiting for {what}{extra}')
        time.sleep(POLL)


# ---- the accessibility bus ----

def a11y_bus_address(session):
    try:
        reply = session.call_sync('org.a11y.Bus', '/org/a11y/bus', 'org.a11y.Bus', 'GetAddress',
                                  None, GLib.VariantType('(s)'),
                                  Gio.DBusCallFlags.NO_AUTO_START, 2000, None)
    except GLib.Error:
        return None
    address = reply.unpack()[0]
    return address or None


def name_has_owner(connection, name):
    reply = connection.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                                 'org.freedesktop.DBus', 'NameHasOwner',
                                 GLib.Variant('(s)', (name,)), GLib.VariantType('(b)'),
                                 Gio.DBusCallFlags.NONE, 2000, None)
    return reply.unpack()[0]


def ensure_a11y_bus(t):
    """Finds the accessibility bus on the session bus, or starts one, and
    makes sure its registry daemon answers. Returns the bus address."""
    if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        t.fail('no session bus (DBUS_SESSION_BUS_ADDRESS is not set): run the tests in '
               'dbus-run-session, as build-aux/dev.sh test does')
    try:
        session = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    except GLib.Error as e:
        t.fail(f'cannot connect to the session bus: {e.message}')

    address = a11y_bus_address(session)
    if address is None:
        if not os.access(BUS_LAUNCHER, os.X_OK):
            t.fail(f'no accessibility bus is running and {BUS_LAUNCHER} is missing '
                   '(install at-spi2-core)')
        t.note(f'no accessibility bus yet: starting {BUS_LAUNCHER} --launch-immediately')
        launcher = t.spawn('at-spi-bus-launcher', [BUS_LAUNCHER, '--launch-immediately'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def launched():
            if launcher.poll() is not None:
                raise Failure(f'{BUS_LAUNCHER} exited with status {launcher.returncode}')
            return a11y_bus_address(session)
        address = wait_for('the accessibility bus (org.a11y.Bus.GetAddress)', launched,
                           timeout=15)
    else:
        t.note('an accessibility bus is already running')

    try:
        bus = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)
    except GLib.Error as e:
        t.fail(f'the accessibility bus at {address} does not answer: {e.message}')

    # The registry is activated on the accessibility bus; start it by hand
    # when activation is not set up.
    if not name_has_owner(bus, 'org.a11y.atspi.Registry'):
        try:
            bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                          'org.freedesktop.DBus', 'StartServiceByName',
                          GLib.Variant('(su)', ('org.a11y.atspi.Registry', 0)),
                          GLib.VariantType('(u)'), Gio.DBusCallFlags.NONE, 10000, None)
        except GLib.Error as e:
            t.note(f'the registry could not be activated ({e.message}): starting {REGISTRYD}')
            if not os.access(REGISTRYD, os.X_OK):
                t.fail(f'{REGISTRYD} is missing (install at-spi2-core)')
            env = dict(os.environ, AT_SPI_BUS_ADDRESS=address)
            t.spawn('at-spi2-registryd', [REGISTRYD], env=env,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for('the AT-SPI registry (org.a11y.atspi.Registry) on the accessibility bus',
                 lambda: name_has_owner(bus, 'org.a11y.atspi.Registry'), timeout=15)
    bus.close_sync(None)
    return address


# ---- finding things in the tree ----

def spoken_name(accessible):
    """The accessible name, with the doubling GTK 4.8 gives a button with a
    mnemonic label undone: "_Submit and Next Submit and Next" is read as
    "Submit and Next"."""
    name = accessible.name or ''
    for i, c in enumerate(name):
        if c == ' ':
            first, second = name[:i], name[i + 1:]
            if first == second or ('_' in first and first.replace('_', '', 1) == second):
                return second
    return name


def walk(root):
    """Every accessible under root, depth first, tolerating objects that go
    away while they are visited."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        try:
            count = node.childCount
        except GLib.Error:
            continue
        children = []
        for i in range(count):
            try:
                child = node.getChildAtIndex(i)
            except GLib.Error:
                continue
            if child is not None:
                children.append(child)
        stack.extend(reversed(children))


def role_of(accessible):
    try:
        return accessible.getRole()
    except GLib.Error:
        return None


def describe_roles(roles):
    return ' or '.join(sorted(Atspi.role_get_name(r) for r in roles))


class Snapshot:
    """The tree under root as it is now: every accessible with its role and
    spoken name. Walking the tree costs a D-Bus call per question asked, so
    a step walks it once and keeps the objects it needs; an object found
    here stays valid, and answers with its current state, as long as the
    widget behind it lives."""

    def __init__(self, root):
        self.nodes = []
        for node in walk(root):
            try:
                self.nodes.append((node, node.getRole(), spoken_name(node)))
            except GLib.Error:
                continue

    def all(self, roles, name=None, pattern=None):
        return [node for node, role, spoken in self.nodes
                if role in roles and
                (name is None or spoken == name) and
                (pattern is None or re.search(pattern, spoken))]

    def one(self, t, roles, name, what=None):
        """The control with that role and name. There must be exactly one:
        the test must not press a stray copy a screen reader user could
        not tell from the real one either."""
        what = what or f'{describe_roles(roles)} named “{name}”'
        found = self.all(roles, name)
        if not found:
            t.fail(f'no {what} in the window')
        if len(found) > 1:
            t.fail(f'{len(found)} controls are each a {what}: they cannot be told apart')
        return found[0]


def snapshot_until(t, root, what, predicate, timeout=TIMEOUT):
    """Walks the tree until predicate(snapshot) is true; returns both."""
    def attempt():
        snap = Snapshot(root)
        result = predicate(snap)
        return (snap, result) if result else None
    return wait_for(what, attempt, timeout=timeout, app=t.app)


def has_state(accessible, *states):
    state_set = accessible.getState()
    return any(state_set.contains(s) for s in states)


def text_of(accessible):
    text = accessible.queryText()
    # Not getText(0, -1): GTK 4.8 answers "" for an entry asked that way.
    return text.getText(0, text.characterCount)


def size_of(accessible):
    """The allocated size. GTK 4.8 sets no "showing" state; a control on a
    page that was never shown has not been allocated and has no size.
    (Only the size: asking GTK 4.8 for screen positions makes it warn.)"""
    try:
        size = accessible.queryComponent().getSize()
    except (NotImplementedError, GLib.Error):
        return 0, 0
    return (size.x, size.y) if hasattr(size, 'x') else tuple(size)


def on_screen(accessible):
    width, height = size_of(accessible)
    return width > 0 and height > 0


def shown_one(t, found, what):
    """Of several controls with one name (a view switcher is there twice in
    the header bar and once at the bottom, every header bar has its "Close"),
    the one on screen."""
    if not found:
        t.fail(f'no {what} in the window')
    return wait_for(f'one {what} on screen',
                    lambda: next((node for node in found if on_screen(node)), None), app=t.app)


def press(t, accessible, what):
    """Presses a control through its Action interface, as a screen reader's
    "activate" does, once it is on screen and sensitive."""
    wait_for(f'{what} to be on screen and sensitive',
             lambda: on_screen(accessible) and has_state(accessible, pyatspi.STATE_SENSITIVE),
             app=t.app)
    if accessible.name != spoken_name(accessible):
        t.note(f'(its accessible name is {accessible.name!r})')
    try:
        action = accessible.queryAction()
    except NotImplementedError:
        t.fail(f'{what} has no Action interface')
    names = []
    for i in range(action.nActions):
        try:
            names.append(action.getName(i))
        except GLib.Error:
            names.append(None)
    for wanted in ('click', 'press', 'activate', 'toggle', 'jump'):
        if wanted in names:
            if not action.doAction(names.index(wanted)):
                t.fail(f'{what}: the “{wanted}” action was refused')
            return
    t.fail(f'{what} has no click, press, activate or toggle action (it has {names})')


def type_into(t, accessible, text, what):
    """Types text into an empty field through the EditableText interface."""
    try:
        editable = accessible.queryEditableText()
    except NotImplementedError:
        t.fail(f'{what} has no EditableText interface')
    before = text_of(accessible)
    if before:
        t.fail(f'{what} is not empty: {before!r}')
    if not editable.insertText(0, text, len(text)):
        if not editable.setTextContents(text):
            t.fail(f'{what} refused the text (insertText and setTextContents)')
    wait_for(f'{what} to read back {text!r}', lambda: text_of(accessible) == text, app=t.app)


# ---- the project ----

def export_native(t, cli, path):
    proc = subprocess.run([cli, 'export', path, '--format', 'native', '-o', '-'],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        t.fail(f'assay-cli export exited with {proc.returncode}: {proc.stderr.strip()}')
    records = []
    for n, line in enumerate(proc.stdout.splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as e:
                t.fail(f'assay-cli export: line {n} is not JSON ({e})')
    return records


def find_source(t, records, source_id):
    for record in records:
        if 'type' not in record and record.get('id') == source_id:
            return record
    t.fail(f'the export has no source {source_id!r}')


def annotator_id(judgment):
    annotator = judgment.get('annotator')
    return annotator.get('id') if isinstance(annotator, dict) else annotator


# ---- the journey ----

def launch(t, app_exe, bus_address):
    env = dict(os.environ)
    env.pop('NO_AT_BRIDGE', None)       # GTK must talk to the accessibility bus
    env.pop('GTK_A11Y', None)           # ... through AT-SPI, not the test backend
    if APP_G_DEBUG is not None:
        env['G_DEBUG'] = APP_G_DEBUG
    env['GSETTINGS_BACKEND'] = 'memory'
    env['XDG_DATA_HOME'] = os.path.join(t.tmp, 'data')
    env['XDG_CONFIG_HOME'] = os.path.join(t.tmp, 'config')
    env['XDG_CACHE_HOME'] = os.path.join(t.tmp, 'cache')
    env['XDG_STATE_HOME'] = os.path.join(t.tmp, 'state')
    for key in ('XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME'):
        os.makedirs(env[key], exist_ok=True)
    env.setdefault('GDK_BACKEND', 'x11')
    t.app_log = open(os.path.join(t.tmp, 'app.log'), 'w')
    t.app = t.spawn('assay', [app_exe, t.copy], env=env, stdin=subprocess.DEVNULL,
                    stdout=t.app_log, stderr=subprocess.STDOUT)
    t.note(f'started {app_exe} (pid {t.app.pid}) on {t.copy}')

    desktop = pyatspi.Registry.getDesktop(0)
    try:
        desktop.childCount
    except GLib.Error as e:
        t.fail(f'pyatspi cannot reach the AT-SPI registry on {bus_address}: {e.message}')

    def our_app():
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is None:
                continue
            try:
                if app.get_process_id() != t.app.pid:
                    continue
            except GLib.Error:
                continue
            if app.name not in APP_NAMES:
                raise Failure(f'the app registered as {app.name!r}, not one of {APP_NAMES}')
            return app
        return None
    app = wait_for(f'an application named “assay” with pid {t.app.pid} on the accessibility '
                   'bus (is GTK using AT-SPI? NO_AT_BRIDGE and GTK_A11Y must be unset)',
                   our_app, app=t.app)
    # Always ask the app, never a cache that events may not have updated.
    try:
        app.set_cache_mask(Atspi.Cache.NONE)
    except (AttributeError, GLib.Error):
        pass

    def frame():
        return next(iter([c for c in app if c is not None and role_of(c) == pyatspi.ROLE_FRAME]),
                    None)
    return app, wait_for('a frame in the app', frame, app=t.app)


def main():
    global pyatspi
    t = Test()
    print('# the review journey through the accessibility tree', flush=True)
    try:
        t.begin('environment')
        app_exe = env_path('ASSAY_APP')
        cli = env_path('ASSAY_CLI')
        demo = env_path('ASSAY_DEMO_PROJECT')
        if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
            t.fail('no display: run the tests in xvfb-run, as build-aux/dev.sh test does')
        t.tmp = tempfile.mkdtemp(prefix='assay-a11y-')
        t.copy = os.path.join(t.tmp, 'demo.assay')
        shutil.copyfile(demo, t.copy)
        user = getpass.getuser()
        before = find_source(t, export_native(t, cli, t.copy), FIRST_ITEM)
        candidates = before.get('candidates', [])
        if len(candidates) < 2:
            t.fail(f'{FIRST_ITEM} has {len(candidates)} candidates, the journey needs two or more')
        t.ok(f'a private copy of the demo project, {len(candidates)} candidates on {FIRST_ITEM}')

        t.begin('accessibility bus')
        address = ensure_a11y_bus(t)
        import pyatspi as module       # it connects to the bus that is now up
        pyatspi = module
        pyatspi.setTimeout(20000, 30000)
        t.ok(f'accessibility bus at {address.split(",")[0]}…')

        TEXTS_ALL = {pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT}

        t.begin('launch')
        app, frame = launch(t, app_exe, address)
        t.ok(f'the app is on the accessibility bus as “{app.name}” with a frame “{frame.name}”')

        # 0. Nobody has said who is judging: the app asks before anything
        # can be judged, in a dialog a screen reader lands in.
        t.begin('0. who is judging')

        def identity_field():
            for window in app:
                if window is None:
                    continue
                found = next((node for node in Snapshot(window).all(TEXTS_ALL, 'Your Name')
                              if on_screen(node)), None)
                if found is not None:
                    return window, found
            return None
        dialog, name_field = wait_for('a field named “Your Name” in a dialog of the app',
                                      identity_field, app=t.app)
        type_into(t, name_field, ANNOTATOR_NAME, '“Your Name”')
        id_field = Snapshot(dialog).one(t, TEXTS_ALL, 'Id (E-mail or Handle)')
        wait_for(f'the id to follow the name: “{ANNOTATOR_ID}”',
                 lambda: text_of(id_field) == ANNOTATOR_ID, app=t.app)
        # A message dialog lays its buttons out twice (in a row, and in a
        # column for narrow windows): the one on screen.
        press(t, shown_one(t, Snapshot(dialog).all({pyatspi.ROLE_PUSH_BUTTON}, 'Start Judging'),
                           'button named “Start Judging”'),
              '“Start Judging”')
        user = ANNOTATOR_ID
        t.ok(f'“{ANNOTATOR_NAME}” judges as {ANNOTATOR_ID}')

        BUTTONS = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON}
        TABS = BUTTONS | {pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_RADIO_BUTTON}
        TEXTS = {pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY, pyatspi.ROLE_DOCUMENT_TEXT,
                 pyatspi.ROLE_PARAGRAPH}
        LABELS = {pyatspi.ROLE_LABEL, pyatspi.ROLE_STATIC, pyatspi.ROLE_HEADING}
        GROUPS = {pyatspi.ROLE_PANEL, pyatspi.ROLE_FILLER, pyatspi.ROLE_GROUPING,
                  pyatspi.ROLE_PAGE_TAB_LIST, pyatspi.ROLE_TOOL_BAR}
        ON = (pyatspi.STATE_PRESSED, pyatspi.STATE_CHECKED)

        def showing_text(role_name, needle):
            def predicate(snap):
                return next((node for node in snap.all(TEXTS, role_name)
                             if needle in text_of(node)), None)
            return predicate

        # 1. The first item is shown. One walk of the tree finds every
        # control of the steps on this item.
        t.begin('1. the transcript of the first item')
        snap, transcript = snapshot_until(
            t, frame, f'a text named “Transcript” containing “{FIRST_TEXT}”',
            showing_text('Transcript', FIRST_TEXT))
        t.ok(f'“Transcript” shows “{FIRST_TEXT}”')

        # No control is announced by its GTK type name: the toggles inside
        # the main menu button and the filter drop-downs have names.
        t.begin('controls named for a person')
        CONTROLS = BUTTONS | {pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_BOX,
                              pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_PAGE_TAB}
        unnamed = sorted({spoken for node, role, spoken in snap.nodes
                          if role in CONTROLS and (not spoken or spoken.startswith('Gtk'))
                          and on_screen(node)})
        if unnamed:
            t.fail(f'controls on screen are announced as {unnamed}')
        for name in ('Main Menu', 'Status filter', 'Model filter'):
            if not [node for node in snap.all(CONTROLS, name) if on_screen(node)]:
                t.fail(f'no control on screen is named “{name}”')
        t.ok('every control on screen has a name, “Main Menu”, “Status filter” and '
             '“Model filter” among them')

        # The candidate tabs, and which candidate each one is.
        t.begin('the candidate tabs')
        tab_box = snap.one(t, GROUPS, 'Candidates', 'group of candidate tabs named “Candidates”')
        tabs = [c for c in tab_box if c is not None and role_of(c) in TABS]
        if len(tabs) != len(candidates):
            t.fail(f'“Candidates” has {len(tabs)} tabs for {len(candidates)} candidates')
        by_id = {c['id']: c for c in candidates}
        shown = []          # (tab name, candidate id), in tab order
        for i, tab in enumerate(tabs):
            name = spoken_name(tab)
            letter = chr(ord('A') + i)
            m = re.fullmatch(r'(\w+) · (.+)', name)
            if m is None or m.group(1) != letter:
                t.fail(f'candidate tab {i + 1} is named {name!r}, not “{letter} · MODEL”')
            ids = [c['id'] for c in candidates if c.get('model') == m.group(2)]
            if len(ids) != 1:
                t.fail(f'tab {name!r}: {len(ids)} candidates of model {m.group(2)!r}')
            shown.append((name, ids[0]))
        t.note('tabs: ' + ', '.join(f'{name} = {cid}' for name, cid in shown))
        # The demo's template is not blind: A is the first candidate imported.
        if shown[0][1] != candidates[0]['id']:
            t.fail(f'tab A shows {shown[0][1]}, not the first candidate {candidates[0]["id"]}')
        first_id = shown[0][1]
        t.ok(f'{len(tabs)} candidate tabs, A is {first_id}')

        candidate_text = snap.one(t, TEXTS, 'Candidate text')
        accept = snap.one(t, BUTTONS, 'Accept', 'toggle button named “Accept”')
        score_buttons = [(name, snap.one(t, BUTTONS, name))
                         for name in ('Faithfulness 4', 'Coverage 4')]

        def show_tab(i):
            name, cid = shown[i]
            if not has_state(tabs[i], *ON):
                press(t, tabs[i], f'the tab “{name}”')
            wait_for(f'the tab “{name}” to be on', lambda: has_state(tabs[i], *ON), app=t.app)
            wait_for(f'“Candidate text” to show the text of {cid}',
                     lambda: text_of(candidate_text).strip() == by_id[cid]['text'].strip(),
                     app=t.app)

        # 2. Accept candidate A.
        t.begin('2. the label “Accept” on candidate A')
        show_tab(0)
        if has_state(accept, *ON):
            t.fail('“Accept” is on before it was pressed')
        press(t, accept, '“Accept”')
        wait_for('“Accept” to be on', lambda: has_state(accept, *ON), app=t.app)
        t.ok('“Accept” is on for candidate A')

        # 3. Faithfulness 4 and Coverage 4 on every candidate.
        t.begin('3. rubric scores on every candidate')
        for i, (name, cid) in enumerate(shown):
            show_tab(i)
            if i > 0 and has_state(accept, *ON):
                t.fail(f'“Accept” shows as on for {name}: the panel did not follow the tab')
            for criterion, button in score_buttons:
                if has_state(button, *ON):
                    t.fail(f'“{criterion}” is on for {name} before it was pressed')
                press(t, button, f'“{criterion}”')
                wait_for(f'“{criterion}” to be on for {name}',
                         lambda: has_state(button, *ON), app=t.app)
            t.ok(f'{name}: {" and ".join(c for c, _ in score_buttons)}')

        # 4. A rationale for candidate A's faithfulness.
        t.begin('4. a rationale typed into “Faithfulness rationale”')
        show_tab(0)
        wait_for('candidate A’s scores back on the rubric',
                 lambda: all(has_state(b, *ON) for _, b in score_buttons), app=t.app)
        field = snap.one(t, TEXTS, 'Faithfulness rationale')
        type_into(t, field, RATIONALE, '“Faithfulness rationale”')
        t.ok('the rationale reads back from “Faithfulness rationale”')

        # 5. Compare: the left one is better.
        t.begin('5. Compare, then the left candidate’s “X Is Better”')
        compare_tabs = snap.all(TABS, 'Compare')
        press(t, shown_one(t, compare_tabs, 'view switcher tab named “Compare”'),
              'the view switcher’s “Compare”')
        wait_for('“Compare” to be the view selected',
                 lambda: any(has_state(c, pyatspi.STATE_SELECTED) for c in compare_tabs),
                 app=t.app)
        # The page is filled when it is first shown: look again.
        snap, pair_labels = snapshot_until(t, frame, 'a label “Pair N of M”',
                                           lambda snap: snap.all(LABELS,
                                                                 pattern=r'^Pair \d+ of \d+$'))
        if len(pair_labels) != 1:
            t.fail(f'{len(pair_labels)} labels say “Pair N of M”, not one')
        if not pair_labels[0].name.startswith('Pair 1 of '):
            t.fail(f'the compare view starts at “{pair_labels[0].name}”, not at pair 1')
        # Each side is named by its candidate's own letter, as the Review
        # tabs name it: two texts "Summary X" and two buttons "X Is Better".
        by_text = {c['text'].strip(): c['id'] for c in candidates}
        summaries = snap.all(TEXTS, pattern=r'^Summary [A-Z]$')
        if len(summaries) != 2:
            t.fail(f'{len(summaries)} texts are named “Summary X”, not two')
        letters = [spoken_name(node).split()[-1] for node in summaries]
        sides = [text_of(node).strip() for node in summaries]
        if not all(side in by_text for side in sides):
            t.fail('a text named “Summary X” does not show a candidate’s text')
        pair = tuple(by_text[side] for side in sides)
        left = f'{letters[0]} Is Better'
        t.note(f'the pair shown: {letters[0]} = {pair[0]}, {letters[1]} = {pair[1]}')
        snap.one(t, BUTTONS, f'{letters[1]} Is Better')
        press(t, snap.one(t, BUTTONS, left), f'“{left}”')
        wait_for('the next pair (“Pair 2 of M”) after the choice',
                 lambda: pair_labels[0].name.startswith('Pair 2 of '), app=t.app)
        t.ok(f'“{left}” chosen for {pair[0]} against {pair[1]}')

        # 6. Submit and Next.
        t.begin('6. “Submit and Next”')
        press(t, snap.one(t, BUTTONS, 'Submit and Next'), '“Submit and Next”')
        t.ok('“Submit and Next” pressed')

        # 7. The second item is shown.
        t.begin('7. the second item')
        snap, _ = snapshot_until(t, frame, f'a label “{SECOND_TITLE}”',
                                 lambda snap: snap.all(LABELS, SECOND_TITLE))
        wait_for(f'“Transcript” to show “{SECOND_TEXT}”',
                 lambda: SECOND_TEXT in text_of(transcript), app=t.app)
        t.ok(f'the window shows “{SECOND_TITLE}” and its transcript')

        # Quit as a user does: close the window.
        t.begin('quit')
        press(t, shown_one(t, snap.all(BUTTONS, 'Close'), 'button named “Close”'), '“Close”')
        try:
            status = t.app.wait(15)
        except subprocess.TimeoutExpired:
            t.fail('the app did not quit within 15 s of closing its window')
        if status != 0:
            t.fail(f'the app exited with status {status}')
        t.ok('the window closed and the app quit with status 0')

        # What is stored.
        t.begin('the project')
        source = find_source(t, export_native(t, cli, t.copy), FIRST_ITEM)
        mine = [j for j in source.get('judgments', []) if annotator_id(j) == user]
        if not mine:
            t.fail(f'no judgments by {user!r} on {FIRST_ITEM} '
                   f'(annotators: {sorted({str(annotator_id(j)) for j in source.get("judgments", [])})})')

        def of_type(kind):
            return [j for j in mine if j.get('type') == kind]

        statuses = [j.get('status') for j in of_type('status')]
        if statuses != ['done']:
            t.fail(f'the status of {FIRST_ITEM} by {user} is {statuses}, not ["done"]')
        t.ok(f'{FIRST_ITEM} is done by {user}')

        names = [r.get('name') for r in export_native(t, cli, t.copy)
                 if r.get('type') == 'annotator' and r.get('id') == user]
        if names != [ANNOTATOR_NAME]:
            t.fail(f'the annotator {user!r} is stored as {names}, not [{ANNOTATOR_NAME!r}]')
        t.ok(f'{user} is stored as “{ANNOTATOR_NAME}”')

        labels = [j for j in of_type('labels') if j.get('candidate') == first_id]
        if len(labels) != 1 or labels[0].get('labels', {}).get('verdict') != 'accept':
            t.fail(f'the labels on {first_id} are {[j.get("labels") for j in labels]}, '
                   'not a verdict “accept”')
        t.ok(f'verdict “accept” on {first_id}')

        scores = {j.get('candidate'): j.get('scores', {}) for j in of_type('scores')}
        for cid in (c['id'] for c in candidates):
            got = scores.get(cid, {})
            for criterion in ('faithfulness', 'coverage'):
                value = got.get(criterion)
                value = value.get('score') if isinstance(value, dict) else value
                if value != 4:
                    t.fail(f'{criterion} of {cid} is {value!r}, not 4')
        t.ok('faithfulness 4 and coverage 4 on ' + ', '.join(c['id'] for c in candidates))

        faithfulness = scores.get(first_id, {}).get('faithfulness')
        rationale = faithfulness.get('rationale') if isinstance(faithfulness, dict) else None
        if rationale != RATIONALE:
            t.fail(f'the faithfulness rationale of {first_id} is {rationale!r}, not {RATIONALE!r}')
        t.ok(f'the rationale on {first_id}')

        comparisons = of_type('comparison')
        if len(comparisons) != 1:
            t.fail(f'{len(comparisons)} comparisons by {user}, not 1: {comparisons}')
        comparison = comparisons[0]
        if comparison.get('winner') != EXPECTED_WINNER:
            t.fail(f'the comparison\'s winner is {comparison.get("winner")!r}, '
                   f'not {EXPECTED_WINNER!r}')
        stored_pair = (comparison.get('a'), comparison.get('b'))
        if stored_pair != pair:
            t.fail(f'the comparison is of {stored_pair}, not of the pair shown {pair}')
        t.ok(f'a comparison of {pair[0]} against {pair[1]} with winner “a”')
    except Failure as e:
        print(f'not ok {t.number + 1} - {t.step}: {e}', flush=True)
        output = t.app_output()
        if output.strip():
            print('# the app wrote:', flush=True)
            for line in output.splitlines()[-40:]:
                print(f'#   {line}', flush=True)
        return 1
    except Exception as e:
        print(f'not ok {t.number + 1} - {t.step}: unexpected {type(e).__name__}: {e}', flush=True)
        raise
    finally:
        t.cleanup()
    print(f'1..{t.number}', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
