<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
  <context>
    <name>AdminPinScreen</name>
    <message>
      <source>Set the administrator PIN</source>
      <translation>Set the administrator PIN</translation>
    </message>
    <message>
      <source>Administrator sign-in</source>
      <translation>Administrator sign-in</translation>
    </message>
    <message>
      <source>Enter the new PIN again to confirm.</source>
      <translation>Enter the new PIN again to confirm.</translation>
    </message>
  </context>
  <context>
    <name>AdminScreen</name>
    <message>
      <source>Administration</source>
      <translation>Administration</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>Device</translation>
    </message>
    <message>
      <source>Driver</source>
      <translation>Driver</translation>
    </message>
    <message>
      <source>State</source>
      <translation>State</translation>
    </message>
    <message>
      <source>Test voice</source>
      <translation>Test voice</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <source>Sign out</source>
      <translation>Sign out</translation>
    </message>
    <message>
      <source>Exit kiosk</source>
      <translation>Exit kiosk</translation>
    </message>
  </context>
  <context>
    <name>AssistBanner</name>
    <message>
      <source>Volunteer {0} is helping you</source>
      <translation>Volunteer {0} is helping you</translation>
    </message>
    <message>
      <source>End assistance</source>
      <translation>End assistance</translation>
    </message>
  </context>
  <context>
    <name>AttractScreen</name>
    <message>
      <source>Community notices</source>
      <translation>Community notices</translation>
    </message>
    <message>
      <source>Touch the screen to begin</source>
      <translation>Touch the screen to begin</translation>
    </message>
  </context>
  <context>
    <name>BottomBar</name>
    <message>
      <source>Elderly mode: on</source>
      <translation>Elderly mode: on</translation>
    </message>
    <message>
      <source>Elderly mode</source>
      <translation>Elderly mode</translation>
    </message>
    <message>
      <source>Volume {0}/{1}</source>
      <translation>Volume {0}/{1}</translation>
    </message>
    <message>
      <source>Repeat</source>
      <translation>Repeat</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>Stop</translation>
    </message>
    <message>
      <source>Text size {0}/{1}</source>
      <translation>Text size {0}/{1}</translation>
    </message>
  </context>
  <context>
    <name>Device</name>
    <message>
      <source>Speech</source>
      <translation>Speech</translation>
    </message>
    <message>
      <source>Database</source>
      <translation>Database</translation>
    </message>
    <message>
      <source>Receipt printer</source>
      <translation>Receipt printer</translation>
    </message>
    <message>
      <source>Camera QR reader</source>
      <translation>Camera QR reader</translation>
    </message>
    <message>
      <source>Card reader</source>
      <translation>Card reader</translation>
    </message>
    <message>
      <source>A4 printer</source>
      <translation>A4 printer</translation>
    </message>
    <message>
      <source>Health devices</source>
      <translation>Health devices</translation>
    </message>
    <message>
      <source>Blood pressure monitor</source>
      <translation>Blood pressure monitor</translation>
    </message>
    <message>
      <source>Scale</source>
      <translation>Scale</translation>
    </message>
    <message>
      <source>Thermometer</source>
      <translation>Thermometer</translation>
    </message>
    <message>
      <source>Pulse oximeter</source>
      <translation>Pulse oximeter</translation>
    </message>
    <message>
      <source>Glucose meter</source>
      <translation>Glucose meter</translation>
    </message>
  </context>
  <context>
    <name>DeviceState</name>
    <message>
      <source>Ready</source>
      <translation>Ready</translation>
    </message>
    <message>
      <source>Busy</source>
      <translation>Busy</translation>
    </message>
    <message>
      <source>Paper low</source>
      <translation>Paper low</translation>
    </message>
    <message>
      <source>Paper out</source>
      <translation>Paper out</translation>
    </message>
    <message>
      <source>Offline</source>
      <translation>Offline</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>Error</translation>
    </message>
    <message>
      <source>Unknown</source>
      <translation>Unknown</translation>
    </message>
  </context>
  <context>
    <name>Feature</name>
    <message>
      <source>Community notices</source>
      <translation>Community notices</translation>
    </message>
  </context>
  <context>
    <name>HomeScreen</name>
    <message>
      <source>Please choose a service</source>
      <translation>Please choose a service</translation>
    </message>
    <message>
      <source>Finish and clear my information</source>
      <translation>Finish and clear my information</translation>
    </message>
  </context>
  <context>
    <name>IdleOverlay</name>
    <message>
      <source>Are you still there?
This visit ends in {0} seconds.</source>
      <translation>Are you still there?
This visit ends in {0} seconds.</translation>
    </message>
    <message>
      <source>Finish now</source>
      <translation>Finish now</translation>
    </message>
    <message>
      <source>Continue</source>
      <translation>Continue</translation>
    </message>
  </context>
  <context>
    <name>Keypad</name>
    <message>
      <source>Delete</source>
      <translation>Delete</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>OK</translation>
    </message>
  </context>
  <context>
    <name>KioskWindow</name>
    <message>
      <source>, </source>
      <extracomment>Keys that must never leave or disturb the kiosk from visitor or volunteer mode.</extracomment>
      <translation>, </translation>
    </message>
  </context>
  <context>
    <name>MessageOverlay</name>
    <message>
      <source>OK, got it</source>
      <translation>OK, got it</translation>
    </message>
  </context>
  <context>
    <name>NoticesScreen</name>
    <message>
      <source>Community notices</source>
      <translation>Community notices</translation>
    </message>
    <message>
      <source>Previous</source>
      <translation>Previous</translation>
    </message>
    <message>
      <source>Next</source>
      <translation>Next</translation>
    </message>
    <message>
      <source>{0} of {1}</source>
      <translation>{0} of {1}</translation>
    </message>
  </context>
  <context>
    <name>Prompt</name>
    <message>
      <source>Welcome. Touch the screen to begin.</source>
      <translation>Welcome. Touch the screen to begin.</translation>
    </message>
    <message>
      <source>Please choose a service. Touch a large button to continue.</source>
      <translation>Please choose a service. Touch a large button to continue.</translation>
    </message>
    <message>
      <source>Elderly mode is on. Text is larger and every screen is read aloud. At the bottom of the screen: {controls}. At the top: {top}.</source>
      <translation>Elderly mode is on. Text is larger and every screen is read aloud. At the bottom of the screen: {controls}. At the top: {top}.</translation>
    </message>
    <message>
      <source>Elderly mode is off.</source>
      <translation>Elderly mode is off.</translation>
    </message>
    <message>
      <source>A volunteer has been called and is on the way. Please wait here.</source>
      <translation>A volunteer has been called and is on the way. Please wait here.</translation>
    </message>
    <message>
      <source>The call for help could not be recorded. Please ask at the service desk.</source>
      <translation>The call for help could not be recorded. Please ask at the service desk.</translation>
    </message>
    <message>
      <source>Are you still there? This visit will end in {seconds} seconds. Touch Continue to keep going.</source>
      <translation>Are you still there? This visit will end in {seconds} seconds. Touch Continue to keep going.</translation>
    </message>
    <message>
      <source>Volume {level}.</source>
      <translation>Volume {level}.</translation>
    </message>
    <message>
      <source>Text size {level}.</source>
      <translation>Text size {level}.</translation>
    </message>
    <message>
      <source>Community notices. Use Previous and Next to read each notice.</source>
      <translation>Community notices. Use Previous and Next to read each notice.</translation>
    </message>
    <message>
      <source>Notice {index} of {count}: {title}. {body}</source>
      <translation>Notice {index} of {count}: {title}. {body}</translation>
    </message>
    <message>
      <source>There are no notices at the moment.</source>
      <translation>There are no notices at the moment.</translation>
    </message>
    <message>
      <source>Staff only. Enter the administrator PIN.</source>
      <translation>Staff only. Enter the administrator PIN.</translation>
    </message>
    <message>
      <source>First start. Choose an administrator PIN of 6 to 12 digits, then enter it again.</source>
      <translation>First start. Choose an administrator PIN of 6 to 12 digits, then enter it again.</translation>
    </message>
    <message>
      <source>Wrong PIN. {left} attempts left before the lock.</source>
      <translation>Wrong PIN. {left} attempts left before the lock.</translation>
    </message>
    <message>
      <source>Too many wrong PINs. Locked for {minutes} minutes.</source>
      <translation>Too many wrong PINs. Locked for {minutes} minutes.</translation>
    </message>
    <message>
      <source>The two PINs differ. Please enter the new PIN again.</source>
      <translation>The two PINs differ. Please enter the new PIN again.</translation>
    </message>
    <message>
      <source>This PIN is too easy to guess. Use 6 to 12 digits, not all the same and not in a row.</source>
      <translation>This PIN is too easy to guess. Use 6 to 12 digits, not all the same and not in a row.</translation>
    </message>
    <message>
      <source>Administration. Device states and station settings.</source>
      <translation>Administration. Device states and station settings.</translation>
    </message>
    <message>
      <source>This is a voice test of the community service station.</source>
      <translation>This is a voice test of the community service station.</translation>
    </message>
    <message>
      <source>Something went wrong. Please try again or call a volunteer.</source>
      <translation>Something went wrong. Please try again or call a volunteer.</translation>
    </message>
    <message>
      <source>Please enter your volunteer PIN, then press OK.</source>
      <translation>Please enter your volunteer PIN, then press OK.</translation>
    </message>
    <message>
      <source>Too many wrong PINs. Volunteer sign-in is locked for {minutes} minutes.</source>
      <translation>Too many wrong PINs. Volunteer sign-in is locked for {minutes} minutes.</translation>
    </message>
    <message>
      <source>This volunteer has no PIN yet. Please ask the station staff to set one.</source>
      <translation>This volunteer has no PIN yet. Please ask the station staff to set one.</translation>
    </message>
    <message>
      <source>Volunteer {name} is signed in. Assisted mode is on.</source>
      <translation>Volunteer {name} is signed in. Assisted mode is on.</translation>
    </message>
  </context>
  <context>
    <name>Screen</name>
    <message>
      <source>, </source>
      <translation>, </translation>
    </message>
    <message>
      <source>Buttons: {labels}.</source>
      <translation>Buttons: {labels}.</translation>
    </message>
  </context>
  <context>
    <name>TopBar</name>
    <message>
      <source>Back</source>
      <translation>Back</translation>
    </message>
    <message>
      <source>Home</source>
      <translation>Home</translation>
    </message>
    <message>
      <source>Call a volunteer</source>
      <translation>Call a volunteer</translation>
    </message>
  </context>
  <context>
    <name>VolunteerPinScreen</name>
    <message>
      <source>Volunteer sign-in</source>
      <translation>Volunteer sign-in</translation>
    </message>
  </context>
</TS>
