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
      <extracomment>The screens of admin mode. Moving between them keeps staff signed in; moving to any other screen (首页, 返回 past the admin screen, the PIN screen) ends admin rights.</extracomment>
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
    <message>
      <source>Visitors inside</source>
      <translation>Visitors inside</translation>
    </message>
  </context>
  <context>
    <name>AdminVisitorsScreen</name>
    <message>
      <source>Visitors inside</source>
      <extracomment>Rows a page at most. Grid cell (row, column, column span) of each column's header and of a visitor's labels, counted from the visitor's first line, per arrangement. Side by side: one line, under column titles. Stacked (large text, narrow screens; no titles): the name on the left over two lines, the home to its right, check-in time and kiosk under the home.</extracomment>
      <translation>Visitors inside</translation>
    </message>
    <message>
      <source>Visitor</source>
      <translation>Visitor</translation>
    </message>
    <message>
      <source>Visiting</source>
      <translation>Visiting</translation>
    </message>
    <message>
      <source>Checked in</source>
      <translation>Checked in</translation>
    </message>
    <message>
      <source>Kiosk</source>
      <translation>Kiosk</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <source>Back to home</source>
      <translation>Back to home</translation>
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
      <source>Service station</source>
      <translation>Service station</translation>
    </message>
    <message>
      <source>Staff only. Please sign in as administrator first.</source>
      <translation>Staff only. Please sign in as administrator first.</translation>
    </message>
    <message>
      <source>Inside now: {0}</source>
      <translation>Inside now: {0}</translation>
    </message>
    <message>
      <source>Reading the list…</source>
      <translation>Reading the list…</translation>
    </message>
    <message>
      <source>No visitors are inside.</source>
      <translation>No visitors are inside.</translation>
    </message>
    <message>
      <source>Page {0} of {1}</source>
      <translation>Page {0} of {1}</translation>
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
    <name>CheckInCodeScreen</name>
    <message>
      <source>Type the pass code</source>
      <translation>Type the pass code</translation>
    </message>
  </context>
  <context>
    <name>CheckInConfirmScreen</name>
    <message>
      <source>Please check your visit</source>
      <translation>Please check your visit</translation>
    </message>
    <message>
      <source>Visitor</source>
      <translation>Visitor</translation>
    </message>
    <message>
      <source>Visiting</source>
      <translation>Visiting</translation>
    </message>
    <message>
      <source>Valid until</source>
      <translation>Valid until</translation>
    </message>
    <message>
      <source>Confirm check-in</source>
      <translation>Confirm check-in</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Cancel</translation>
    </message>
  </context>
  <context>
    <name>CheckInResultScreen</name>
    <message>
      <source>Checked in</source>
      <translation>Checked in</translation>
    </message>
    <message>
      <source>Signed out</source>
      <translation>Signed out</translation>
    </message>
    <message>
      <source>The pass could not be used</source>
      <translation>The pass could not be used</translation>
    </message>
    <message>
      <source>Print again</source>
      <translation>Print again</translation>
    </message>
    <message>
      <source>Type the code</source>
      <translation>Type the code</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>Done</translation>
    </message>
    <message>
      <source>Exit code {code}</source>
      <translation>Exit code {code}</translation>
    </message>
    <message>
      <source>Printing your slip…</source>
      <translation>Printing your slip…</translation>
    </message>
    <message>
      <source>Please take your slip.</source>
      <translation>Please take your slip.</translation>
    </message>
  </context>
  <context>
    <name>CheckInScreen</name>
    <message>
      <source>Visitor check-in</source>
      <extracomment>Screens on which a pass or exit QR code read by the camera is acted on.</extracomment>
      <translation>Visitor check-in</translation>
    </message>
    <message>
      <source>Hold the pass QR code up to the camera, about 20 cm away.</source>
      <translation>Hold the pass QR code up to the camera, about 20 cm away.</translation>
    </message>
    <message>
      <source>The camera is not working. Please touch Type the code.</source>
      <translation>The camera is not working. Please touch Type the code.</translation>
    </message>
    <message>
      <source>Type the code</source>
      <translation>Type the code</translation>
    </message>
    <message>
      <source>Leaving: sign out</source>
      <translation>Leaving: sign out</translation>
    </message>
    <message>
      <source>No pass? Register</source>
      <translation>No pass? Register</translation>
    </message>
  </context>
  <context>
    <name>CheckOutScreen</name>
    <message>
      <source>Sign out</source>
      <translation>Sign out</translation>
    </message>
  </context>
  <context>
    <name>ChoicePages</name>
    <message>
      <source>Previous page</source>
      <extracomment>At most this many choices on one page in 长辈模式 (ACCESSIBILITY.md item 25). Choices on one page in standard mode.</extracomment>
      <translation>Previous page</translation>
    </message>
    <message>
      <source>Next page</source>
      <translation>Next page</translation>
    </message>
    <message>
      <source>Page {page} of {pages}</source>
      <translation>Page {page} of {pages}</translation>
    </message>
  </context>
  <context>
    <name>CodeEntry</name>
    <message>
      <source>The number has {total} digits; {missing} more to type.</source>
      <extracomment>Stands for a digit still to be typed.</extracomment>
      <translation>The number has {total} digits; {missing} more to type.</translation>
    </message>
    <message>
      <source>The number is not right. Please check it and type it again.</source>
      <translation>The number is not right. Please check it and type it again.</translation>
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
    <message>
      <source>Visitor check-in</source>
      <translation>Visitor check-in</translation>
    </message>
    <message>
      <source>Scan a visitor pass</source>
      <translation>Scan a visitor pass</translation>
    </message>
    <message>
      <source>Invite a visitor</source>
      <translation>Invite a visitor</translation>
    </message>
    <message>
      <source>Print a pass for your visitor</source>
      <translation>Print a pass for your visitor</translation>
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
    <name>HouseholdPicker</name>
    <message>
      <source>There are no homes to choose.</source>
      <translation>There are no homes to choose.</translation>
    </message>
    <message>
      <source>Choose the building</source>
      <translation>Choose the building</translation>
    </message>
    <message>
      <source>Choose the unit</source>
      <translation>Choose the unit</translation>
    </message>
    <message>
      <source>Choose the floor</source>
      <translation>Choose the floor</translation>
    </message>
    <message>
      <source>Choose the room</source>
      <translation>Choose the room</translation>
    </message>
    <message>
      <source>Unit {unit}</source>
      <translation>Unit {unit}</translation>
    </message>
    <message>
      <source>Floor {floor}</source>
      <translation>Floor {floor}</translation>
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
    <name>InviteConfirmScreen</name>
    <message>
      <source>Please check the invitation</source>
      <translation>Please check the invitation</translation>
    </message>
    <message>
      <source>Visitor</source>
      <translation>Visitor</translation>
    </message>
    <message>
      <source>Your home</source>
      <translation>Your home</translation>
    </message>
    <message>
      <source>When</source>
      <translation>When</translation>
    </message>
    <message>
      <source>Change the time</source>
      <translation>Change the time</translation>
    </message>
    <message>
      <source>Change the name</source>
      <translation>Change the name</translation>
    </message>
    <message>
      <source>Print invitation</source>
      <translation>Print invitation</translation>
    </message>
  </context>
  <context>
    <name>InviteDoneScreen</name>
    <message>
      <source>Your invitation</source>
      <translation>Your invitation</translation>
    </message>
    <message>
      <source>Print again</source>
      <translation>Print again</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>Done</translation>
    </message>
    <message>
      <source>Pass code</source>
      <translation>Pass code</translation>
    </message>
    <message>
      <source>Please take the invitation.</source>
      <translation>Please take the invitation.</translation>
    </message>
    <message>
      <source>Printing the invitation…</source>
      <translation>Printing the invitation…</translation>
    </message>
  </context>
  <context>
    <name>InviteNameScreen</name>
    <message>
      <source>Your visitor's name</source>
      <translation>Your visitor's name</translation>
    </message>
    <message>
      <source>Choose your visitor's surname</source>
      <translation>Choose your visitor's surname</translation>
    </message>
    <message>
      <source>How should we address your visitor?</source>
      <translation>How should we address your visitor?</translation>
    </message>
    <message>
      <source>Back to the surnames</source>
      <translation>Back to the surnames</translation>
    </message>
  </context>
  <context>
    <name>InviteStep</name>
    <message>
      <source>Inviting to {household}</source>
      <translation>Inviting to {household}</translation>
    </message>
    <message>
      <source>Keep “{value}”</source>
      <translation>Keep “{value}”</translation>
    </message>
  </context>
  <context>
    <name>InviteWhenScreen</name>
    <message>
      <source>Invite a visitor</source>
      <translation>Invite a visitor</translation>
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
    <name>NameKeyboard</name>
    <message>
      <source>Previous page</source>
      <extracomment>The longest syllable has six letters (zhuang, shuang, chuang). 间隔号, between the parts of a transcribed name (阿依古丽·买买提). Most candidates on a page (the layout may show fewer). Stacked only: the five actions in one row, or in two (long labels, narrow panel).</extracomment>
      <translation>Previous page</translation>
    </message>
    <message>
      <source>Next page</source>
      <translation>Next page</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>Delete</translation>
    </message>
    <message>
      <source>Clear</source>
      <translation>Clear</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>Done</translation>
    </message>
    <message>
      <source>Deleted</source>
      <translation>Deleted</translation>
    </message>
    <message>
      <source>Cleared</source>
      <translation>Cleared</translation>
    </message>
    <message>
      <source>At most {n} characters</source>
      <translation>At most {n} characters</translation>
    </message>
    <message>
      <source>Choose a character first</source>
      <translation>Choose a character first</translation>
    </message>
    <message>
      <source>No pinyin starts like this</source>
      <translation>No pinyin starts like this</translation>
    </message>
    <message>
      <source>The name is too long</source>
      <translation>The name is too long</translation>
    </message>
    <message>
      <source>Space</source>
      <translation>Space</translation>
    </message>
    <message>
      <source>Name dot</source>
      <translation>Name dot</translation>
    </message>
    <message>
      <source>Clear the name first</source>
      <translation>Clear the name first</translation>
    </message>
    <message>
      <source>English letters</source>
      <translation>English letters</translation>
    </message>
    <message>
      <source>Pinyin</source>
      <translation>Pinyin</translation>
    </message>
    <message>
      <source>Please type your name</source>
      <translation>Please type your name</translation>
    </message>
    <message>
      <source>At least {n} letters</source>
      <translation>At least {n} letters</translation>
    </message>
    <message>
      <source>At least {n} characters</source>
      <translation>At least {n} characters</translation>
    </message>
    <message>
      <source>Please check the name</source>
      <translation>Please check the name</translation>
    </message>
    <message>
      <source>English</source>
      <translation>English</translation>
    </message>
    <message>
      <source>Type in pinyin</source>
      <translation>Type in pinyin</translation>
    </message>
    <message>
      <source>Type English letters</source>
      <translation>Type English letters</translation>
    </message>
    <message>
      <source>Dot ·</source>
      <translation>Dot ·</translation>
    </message>
    <message>
      <source>Touch a character</source>
      <translation>Touch a character</translation>
    </message>
    <message>
      <source>Type the letters</source>
      <translation>Type the letters</translation>
    </message>
    <message>
      <source>Type the pinyin</source>
      <translation>Type the pinyin</translation>
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
    <name>PhoneEntry</name>
    <message>
      <source>Skip</source>
      <translation>Skip</translation>
    </message>
    <message>
      <source>Please type your mobile number, or press Skip.</source>
      <translation>Please type your mobile number, or press Skip.</translation>
    </message>
    <message>
      <source>A mobile number has 11 digits and starts with 1. Please check it.</source>
      <translation>A mobile number has 11 digits and starts with 1. Please check it.</translation>
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
    <message>
      <source>Visitor check-in. Hold your pass QR code up to the camera. If it will not scan, touch Type the code.</source>
      <translation>Visitor check-in. Hold your pass QR code up to the camera. If it will not scan, touch Type the code.</translation>
    </message>
    <message>
      <source>Type the 9-digit code printed under the pass QR code, then press OK.</source>
      <translation>Type the 9-digit code printed under the pass QR code, then press OK.</translation>
    </message>
    <message>
      <source>Checking your pass. One moment please.</source>
      <translation>Checking your pass. One moment please.</translation>
    </message>
    <message>
      <source>Please check: visitor {name}, visiting {household}, valid until {until}. If this is right, touch Confirm check-in.</source>
      <translation>Please check: visitor {name}, visiting {household}, valid until {until}. If this is right, touch Confirm check-in.</translation>
    </message>
    <message>
      <source>Welcome! You are checked in. Please take your slip, and scan its code when you leave.</source>
      <translation>Welcome! You are checked in. Please take your slip, and scan its code when you leave.</translation>
    </message>
    <message>
      <source>You are checked in, but the slip could not be printed. Your exit code is {code}. Please write it down or take a photo of the screen, or ask a volunteer.</source>
      <translation>You are checked in, but the slip could not be printed. Your exit code is {code}. Please write it down or take a photo of the screen, or ask a volunteer.</translation>
    </message>
    <message>
      <source>This pass could not be verified. Please ask the resident you are visiting to send the pass again, or call a volunteer.</source>
      <translation>This pass could not be verified. Please ask the resident you are visiting to send the pass again, or call a volunteer.</translation>
    </message>
    <message>
      <source>This code is not a visitor pass of this community. Please show the pass QR code, or type the code printed under it.</source>
      <translation>This code is not a visitor pass of this community. Please show the pass QR code, or type the code printed under it.</translation>
    </message>
    <message>
      <source>This pass is of a newer kind that this kiosk cannot read yet. Please call a volunteer.</source>
      <translation>This pass is of a newer kind that this kiosk cannot read yet. Please call a volunteer.</translation>
    </message>
    <message>
      <source>This pass has expired. Please ask the resident you are visiting to send a new pass, or call a volunteer.</source>
      <translation>This pass has expired. Please ask the resident you are visiting to send a new pass, or call a volunteer.</translation>
    </message>
    <message>
      <source>This pass is not valid yet. Please come back at the time the resident chose, or ask them to change it.</source>
      <translation>This pass is not valid yet. Please come back at the time the resident chose, or ask them to change it.</translation>
    </message>
    <message>
      <source>This pass has already been used, and each pass works only once. Please ask the resident for a new pass, or call a volunteer.</source>
      <translation>This pass has already been used, and each pass works only once. Please ask the resident for a new pass, or call a volunteer.</translation>
    </message>
    <message>
      <source>This pass is for another community. Please check that this is the right service station, or call a volunteer.</source>
      <translation>This pass is for another community. Please check that this is the right service station, or call a volunteer.</translation>
    </message>
    <message>
      <source>That number is not right. Please check it and type it again.</source>
      <translation>That number is not right. Please check it and type it again.</translation>
    </message>
    <message>
      <source>Too many wrong numbers. Please wait {seconds} seconds and try again, or call a volunteer.</source>
      <translation>Too many wrong numbers. Please wait {seconds} seconds and try again, or call a volunteer.</translation>
    </message>
    <message>
      <source>The community system cannot be reached right now. Please try again in a moment, or call a volunteer.</source>
      <translation>The community system cannot be reached right now. Please try again in a moment, or call a volunteer.</translation>
    </message>
    <message>
      <source>Leaving? Hold the QR code on your visitor slip up to the camera, or type the exit code printed under it.</source>
      <translation>Leaving? Hold the QR code on your visitor slip up to the camera, or type the exit code printed under it.</translation>
    </message>
    <message>
      <source>Goodbye, {name}. Your departure has been recorded.</source>
      <translation>Goodbye, {name}. Your departure has been recorded.</translation>
    </message>
    <message>
      <source>This slip has already been used to sign out. Goodbye!</source>
      <translation>This slip has already been used to sign out. Goodbye!</translation>
    </message>
    <message>
      <source>No visit with this exit code is open here. Please check the number, or call a volunteer.</source>
      <translation>No visit with this exit code is open here. Please check the number, or call a volunteer.</translation>
    </message>
    <message>
      <source>Who are you visiting? Choose the building, then the unit, then the room.</source>
      <translation>Who are you visiting? Choose the building, then the unit, then the room.</translation>
    </message>
    <message>
      <source>Please choose your surname, then Mr or Ms. Your full name is not needed.</source>
      <translation>Please choose your surname, then Mr or Ms. Your full name is not needed.</translation>
    </message>
    <message>
      <source>You may leave a mobile number so the resident can reach you, or touch Skip.</source>
      <translation>You may leave a mobile number so the resident can reach you, or touch Skip.</translation>
    </message>
    <message>
      <source>Why are you visiting today? Choose one.</source>
      <translation>Why are you visiting today? Choose one.</translation>
    </message>
    <message>
      <source>We have asked {household} to approve your visit. Please wait here; this usually takes a minute or two.</source>
      <translation>We have asked {household} to approve your visit. Please wait here; this usually takes a minute or two.</translation>
    </message>
    <message>
      <source>The resident has not answered yet. Please call a volunteer: a volunteer can approve your visit here.</source>
      <translation>The resident has not answered yet. Please call a volunteer: a volunteer can approve your visit here.</translation>
    </message>
    <message>
      <source>This home cannot be asked by phone. Please call a volunteer: a volunteer can approve your visit here.</source>
      <translation>This home cannot be asked by phone. Please call a volunteer: a volunteer can approve your visit here.</translation>
    </message>
    <message>
      <source>Sorry, the resident cannot receive visitors right now. Please contact them, or ask at the service desk.</source>
      <translation>Sorry, the resident cannot receive visitors right now. Please contact them, or ask at the service desk.</translation>
    </message>
    <message>
      <source>Please go to the service desk, where staff will register your visit.</source>
      <translation>Please go to the service desk, where staff will register your visit.</translation>
    </message>
    <message>
      <source>If your surname is not in the list, please call a volunteer, who will type your name for you.</source>
      <translation>If your surname is not in the list, please call a volunteer, who will type your name for you.</translation>
    </message>
    <message>
      <source>When will your visitor come? Choose the day, then the time.</source>
      <translation>When will your visitor come? Choose the day, then the time.</translation>
    </message>
    <message>
      <source>What is your visitor's surname? Choose it, then Mr or Ms.</source>
      <translation>What is your visitor's surname? Choose it, then Mr or Ms.</translation>
    </message>
    <message>
      <source>Invitation for {name}, {window}. Touch Print invitation to print the pass.</source>
      <translation>Invitation for {name}, {window}. Touch Print invitation to print the pass.</translation>
    </message>
    <message>
      <source>The invitation is printing. Give it to your visitor, or send them a photo of it. They show the QR code at the service station, or type the code under it.</source>
      <translation>The invitation is printing. Give it to your visitor, or send them a photo of it. They show the QR code at the service station, or type the code under it.</translation>
    </message>
    <message>
      <source>The pass is ready, but it could not be printed. Its code is {code}: please write it down for your visitor, or ask a volunteer.</source>
      <translation>The pass is ready, but it could not be printed. Its code is {code}: please write it down for your visitor, or ask a volunteer.</translation>
    </message>
    <message>
      <source>Invitations cannot be printed at this station. Please ask the station staff.</source>
      <translation>Invitations cannot be printed at this station. Please ask the station staff.</translation>
    </message>
    <message>
      <source>That time cannot be used. Please choose another day or time.</source>
      <translation>That time cannot be used. Please choose another day or time.</translation>
    </message>
    <message>
      <source>Please tell us who you are: tap your community card on the reader, show your resident code to the camera, or enter your room number.</source>
      <translation>Please tell us who you are: tap your community card on the reader, show your resident code to the camera, or enter your room number.</translation>
    </message>
    <message>
      <source>Tap your community card on the card reader and hold it there.</source>
      <translation>Tap your community card on the card reader and hold it there.</translation>
    </message>
    <message>
      <source>Open the community app, show your resident code and hold the phone up to the camera.</source>
      <translation>Open the community app, show your resident code and hold the phone up to the camera.</translation>
    </message>
    <message>
      <source>Choose your building, unit and room.</source>
      <translation>Choose your building, unit and room.</translation>
    </message>
    <message>
      <source>Enter the last 4 digits of the phone number registered for {household}, then press OK.</source>
      <translation>Enter the last 4 digits of the phone number registered for {household}, then press OK.</translation>
    </message>
    <message>
      <source>Please enter all 4 digits of the phone number, then press OK.</source>
      <translation>Please enter all 4 digits of the phone number, then press OK.</translation>
    </message>
    <message>
      <source>Checking. One moment please.</source>
      <translation>Checking. One moment please.</translation>
    </message>
    <message>
      <source>Volunteer, please check: {name}, {household}. If this is the resident, touch Confirm identity.</source>
      <translation>Volunteer, please check: {name}, {household}. If this is the resident, touch Confirm identity.</translation>
    </message>
    <message>
      <source>Hello, {name}.</source>
      <translation>Hello, {name}.</translation>
    </message>
    <message>
      <source>Not confirmed. Please check the room number and phone digits, or use a card.</source>
      <translation>Not confirmed. Please check the room number and phone digits, or use a card.</translation>
    </message>
    <message>
      <source>The room number and phone digits do not match. Please check them and try again. {left} attempts left.</source>
      <translation>The room number and phone digits do not match. Please check them and try again. {left} attempts left.</translation>
    </message>
    <message>
      <source>The room number and phone digits do not match. Please check them and try again.</source>
      <translation>The room number and phone digits do not match. Please check them and try again.</translation>
    </message>
    <message>
      <source>Too many attempts for this room. Please try again in {minutes} minutes, use your card or resident code, or ask a volunteer.</source>
      <translation>Too many attempts for this room. Please try again in {minutes} minutes, use your card or resident code, or ask a volunteer.</translation>
    </message>
    <message>
      <source>Too many attempts for this room: it is locked until the station staff unlock it. Please use your card or resident code, or ask the station staff.</source>
      <translation>Too many attempts for this room: it is locked until the station staff unlock it. Please use your card or resident code, or ask the station staff.</translation>
    </message>
    <message>
      <source>Several residents of this room have these phone digits. Please use your card or resident code, or ask a volunteer.</source>
      <translation>Several residents of this room have these phone digits. Please use your card or resident code, or ask a volunteer.</translation>
    </message>
    <message>
      <source>This resident code has expired. Please refresh the code in the app and show it again.</source>
      <translation>This resident code has expired. Please refresh the code in the app and show it again.</translation>
    </message>
    <message>
      <source>This code cannot be used here. Please show the resident code of the community app, or use your card or room number.</source>
      <translation>This code cannot be used here. Please show the resident code of the community app, or use your card or room number.</translation>
    </message>
    <message>
      <source>This card is not registered. Please use your resident code or room number, or ask a volunteer.</source>
      <translation>This card is not registered. Please use your resident code or room number, or ask a volunteer.</translation>
    </message>
    <message>
      <source>This resident is not registered at this station. Please ask a volunteer.</source>
      <translation>This resident is not registered at this station. Please ask a volunteer.</translation>
    </message>
    <message>
      <source>The community platform cannot be reached right now. Please try again in a moment, or ask a volunteer.</source>
      <translation>The community platform cannot be reached right now. Please try again in a moment, or ask a volunteer.</translation>
    </message>
    <message>
      <source>This volunteer code has expired. Please refresh the code in the app and show it again.</source>
      <translation>This volunteer code has expired. Please refresh the code in the app and show it again.</translation>
    </message>
    <message>
      <source>This code cannot be used here. Please show the volunteer code of the community app, or use your staff card.</source>
      <translation>This code cannot be used here. Please show the volunteer code of the community app, or use your staff card.</translation>
    </message>
    <message>
      <source>This volunteer is not registered or not active at this station. Please ask the station staff.</source>
      <translation>This volunteer is not registered or not active at this station. Please ask the station staff.</translation>
    </message>
    <message>
      <source>Volunteer sign-in is not possible right now: the community platform cannot be reached. Please try again in a moment.</source>
      <translation>Volunteer sign-in is not possible right now: the community platform cannot be reached. Please try again in a moment.</translation>
    </message>
    <message>
      <source>Too many wrong PINs. This PIN is locked until the station staff unlock it. Please ask the station staff.</source>
      <extracomment>A PIN (volunteer or admin) locked by the hard cap: only staff can unlock it.</extracomment>
      <translation>Too many wrong PINs. This PIN is locked until the station staff unlock it. Please ask the station staff.</translation>
    </message>
    <message>
      <source>Assisted mode ends in {seconds} seconds. To go on, the volunteer signs in again with card or code and PIN.</source>
      <translation>Assisted mode ends in {seconds} seconds. To go on, the volunteer signs in again with card or code and PIN.</translation>
    </message>
    <message>
      <source>Assisted mode has ended: a volunteer sign-in lasts {minutes} minutes. The volunteer can sign in again to go on.</source>
      <translation>Assisted mode has ended: a volunteer sign-in lasts {minutes} minutes. The volunteer can sign in again to go on.</translation>
    </message>
    <message>
      <source>Assisted mode has ended because the screen was not used.</source>
      <translation>Assisted mode has ended because the screen was not used.</translation>
    </message>
    <message>
      <source>The photo could not be taken. Touch Take photo to try again, or No photo to go on without one.</source>
      <translation>The photo could not be taken. Touch Take photo to try again, or No photo to go on without one.</translation>
    </message>
    <message>
      <source>If your visitor's surname is not in the list, please call a volunteer, who will type the name for you.</source>
      <translation>If your visitor's surname is not in the list, please call a volunteer, who will type the name for you.</translation>
    </message>
    <message>
      <source>Making the pass. One moment please.</source>
      <translation>Making the pass. One moment please.</translation>
    </message>
    <message>
      <source>For the safety of the community, a photo will be taken. It is kept for {days} days and then deleted automatically. You may touch No photo: you can still register.</source>
      <translation>For the safety of the community, a photo will be taken. It is kept for {days} days and then deleted automatically. You may touch No photo: you can still register.</translation>
    </message>
    <message>
      <source>If your surname is not in the list, touch Type the full name, or call a volunteer to help you.</source>
      <translation>If your surname is not in the list, touch Type the full name, or call a volunteer to help you.</translation>
    </message>
    <message>
      <source>Asking the resident. One moment please.</source>
      <translation>Asking the resident. One moment please.</translation>
    </message>
    <message>
      <source>This home cannot be asked by phone. Volunteer: please check the visit with the visitor, then touch Approve as volunteer.</source>
      <translation>This home cannot be asked by phone. Volunteer: please check the visit with the visitor, then touch Approve as volunteer.</translation>
    </message>
    <message>
      <source>The resident has not answered. Volunteer: please check the visit with the visitor, then touch Approve as volunteer.</source>
      <translation>The resident has not answered. Volunteer: please check the visit with the visitor, then touch Approve as volunteer.</translation>
    </message>
  </context>
  <context>
    <name>ResidentIdentifyScreen</name>
    <message>
      <source>Resident identification</source>
      <translation>Resident identification</translation>
    </message>
    <message>
      <source>Tap card</source>
      <translation>Tap card</translation>
    </message>
    <message>
      <source>Show code</source>
      <translation>Show code</translation>
    </message>
    <message>
      <source>Room + phone</source>
      <translation>Room + phone</translation>
    </message>
    <message>
      <source>Change the room</source>
      <translation>Change the room</translation>
    </message>
    <message>
      <source>Other ways</source>
      <translation>Other ways</translation>
    </message>
    <message>
      <source>Confirm identity</source>
      <translation>Confirm identity</translation>
    </message>
    <message>
      <source>Not this person</source>
      <translation>Not this person</translation>
    </message>
    <message>
      <source>The camera is not working. Please use your card or room number.</source>
      <translation>The camera is not working. Please use your card or room number.</translation>
    </message>
    <message>
      <source>Picture: a community card held just above the card reader.</source>
      <translation>Picture: a community card held just above the card reader.</translation>
    </message>
    <message>
      <source>Volunteer, please check who this is:</source>
      <translation>Volunteer, please check who this is:</translation>
    </message>
    <message>
      <source>{name}, {household}</source>
      <translation>{name}, {household}</translation>
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
    <name>Slip</name>
    <message>
      <source>Visitor slip</source>
      <extracomment>How times are printed, in every language.</extracomment>
      <translation>Visitor slip</translation>
    </message>
    <message>
      <source>Visitor invitation</source>
      <translation>Visitor invitation</translation>
    </message>
    <message>
      <source>Station: {station}</source>
      <translation>Station: {station}</translation>
    </message>
    <message>
      <source>Checked in: {time}</source>
      <translation>Checked in: {time}</translation>
    </message>
    <message>
      <source>Visitor: {name}</source>
      <translation>Visitor: {name}</translation>
    </message>
    <message>
      <source>Visiting: {household}</source>
      <translation>Visiting: {household}</translation>
    </message>
    <message>
      <source>Visiting: the service station</source>
      <translation>Visiting: the service station</translation>
    </message>
    <message>
      <source>Valid from: {time}</source>
      <translation>Valid from: {time}</translation>
    </message>
    <message>
      <source>Valid until: {time}</source>
      <translation>Valid until: {time}</translation>
    </message>
    <message>
      <source>When you leave, scan the QR code below or enter the exit code at the service station.</source>
      <translation>When you leave, scan the QR code below or enter the exit code at the service station.</translation>
    </message>
    <message>
      <source>When you leave, scan the QR code below at the service station.</source>
      <translation>When you leave, scan the QR code below at the service station.</translation>
    </message>
    <message>
      <source>Exit code {code}</source>
      <translation>Exit code {code}</translation>
    </message>
    <message>
      <source>This slip is only for registering this visit. Please do not pass it on.</source>
      <translation>This slip is only for registering this visit. Please do not pass it on.</translation>
    </message>
    <message>
      <source>When you come, scan the QR code at the community service station, or enter the short code below.</source>
      <translation>When you come, scan the QR code at the community service station, or enter the short code below.</translation>
    </message>
    <message>
      <source>Short code {code}</source>
      <translation>Short code {code}</translation>
    </message>
    <message>
      <source>This invitation is only for the visitor named on it. Please do not pass it on.</source>
      <translation>This invitation is only for the visitor named on it. Please do not pass it on.</translation>
    </message>
  </context>
  <context>
    <name>StepHeader</name>
    <message>
      <source>Previous step</source>
      <translation>Previous step</translation>
    </message>
    <message>
      <source>Chosen: {path}</source>
      <translation>Chosen: {path}</translation>
    </message>
  </context>
  <context>
    <name>SurnameGrid</name>
    <message>
      <source>Other surname</source>
      <extracomment>The 30 most common surnames, most common first. The titles in the order offered; the display name is surname + title.</extracomment>
      <translation>Other surname</translation>
    </message>
    <message>
      <source>How should we address you?</source>
      <translation>How should we address you?</translation>
    </message>
    <message>
      <source>Mr {surname}</source>
      <translation>Mr {surname}</translation>
    </message>
    <message>
      <source>Ms {surname}</source>
      <translation>Ms {surname}</translation>
    </message>
    <message>
      <source>Choose your surname</source>
      <translation>Choose your surname</translation>
    </message>
  </context>
  <context>
    <name>TimeWindowPicker</name>
    <message>
      <source>Which day will the guest come?</source>
      <translation>Which day will the guest come?</translation>
    </message>
    <message>
      <source>At what time?</source>
      <translation>At what time?</translation>
    </message>
    <message>
      <source>Mon</source>
      <translation>Mon</translation>
    </message>
    <message>
      <source>Tue</source>
      <translation>Tue</translation>
    </message>
    <message>
      <source>Wed</source>
      <translation>Wed</translation>
    </message>
    <message>
      <source>Thu</source>
      <translation>Thu</translation>
    </message>
    <message>
      <source>Fri</source>
      <translation>Fri</translation>
    </message>
    <message>
      <source>Sat</source>
      <translation>Sat</translation>
    </message>
    <message>
      <source>Sun</source>
      <translation>Sun</translation>
    </message>
    <message>
      <source>{weekday} {day}/{month}</source>
      <translation>{weekday} {day}/{month}</translation>
    </message>
    <message>
      <source>Today</source>
      <translation>Today</translation>
    </message>
    <message>
      <source>Tomorrow</source>
      <translation>Tomorrow</translation>
    </message>
    <message>
      <source>Day after tomorrow</source>
      <translation>Day after tomorrow</translation>
    </message>
    <message>
      <source>Morning</source>
      <translation>Morning</translation>
    </message>
    <message>
      <source>Afternoon</source>
      <translation>Afternoon</translation>
    </message>
    <message>
      <source>Evening</source>
      <translation>Evening</translation>
    </message>
    <message>
      <source>All day</source>
      <translation>All day</translation>
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
  <context>
    <name>WalkInFullNameScreen</name>
    <message>
      <source>Type the pinyin of each character of your name, then touch the character. For a name in English letters, touch English first.</source>
      <extracomment>The next step of the walk-in (ui/screens/walkin.py).</extracomment>
      <translation>Type the pinyin of each character of your name, then touch the character. For a name in English letters, touch English first.</translation>
    </message>
    <message>
      <source>Type your name</source>
      <translation>Type your name</translation>
    </message>
  </context>
  <context>
    <name>WalkInHostScreen</name>
    <message>
      <source>Who are you visiting?</source>
      <translation>Who are you visiting?</translation>
    </message>
    <message>
      <source>Try again</source>
      <translation>Try again</translation>
    </message>
  </context>
  <context>
    <name>WalkInNameScreen</name>
    <message>
      <source>Your name</source>
      <translation>Your name</translation>
    </message>
    <message>
      <source>Type the full name</source>
      <translation>Type the full name</translation>
    </message>
    <message>
      <source>Back to the surnames</source>
      <translation>Back to the surnames</translation>
    </message>
  </context>
  <context>
    <name>WalkInPhoneScreen</name>
    <message>
      <source>Your mobile number</source>
      <translation>Your mobile number</translation>
    </message>
  </context>
  <context>
    <name>WalkInPhotoScreen</name>
    <message>
      <source>Photo for the visitor record</source>
      <translation>Photo for the visitor record</translation>
    </message>
    <message>
      <source>Take photo</source>
      <translation>Take photo</translation>
    </message>
    <message>
      <source>No photo</source>
      <translation>No photo</translation>
    </message>
    <message>
      <source>The camera is not working. Please touch No photo to go on.</source>
      <translation>The camera is not working. Please touch No photo to go on.</translation>
    </message>
  </context>
  <context>
    <name>WalkInReasonScreen</name>
    <message>
      <source>Reason for the visit</source>
      <translation>Reason for the visit</translation>
    </message>
    <message>
      <source>Visiting family</source>
      <translation>Visiting family</translation>
    </message>
    <message>
      <source>Visiting friends</source>
      <translation>Visiting friends</translation>
    </message>
    <message>
      <source>Delivery</source>
      <translation>Delivery</translation>
    </message>
    <message>
      <source>Repair</source>
      <translation>Repair</translation>
    </message>
    <message>
      <source>Housekeeping</source>
      <translation>Housekeeping</translation>
    </message>
    <message>
      <source>Other</source>
      <translation>Other</translation>
    </message>
  </context>
  <context>
    <name>WalkInResultScreen</name>
    <message>
      <source>Visitor registration</source>
      <translation>Visitor registration</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>Done</translation>
    </message>
  </context>
  <context>
    <name>WalkInStep</name>
    <message>
      <source>Visiting {household}</source>
      <extracomment>What ``summary`` shows: any of "household", "name", "phone".</extracomment>
      <translation>Visiting {household}</translation>
    </message>
    <message>
      <source>Keep “{value}”</source>
      <translation>Keep “{value}”</translation>
    </message>
  </context>
  <context>
    <name>WalkInWaitScreen</name>
    <message>
      <source>Waiting for the resident</source>
      <translation>Waiting for the resident</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>Approve as volunteer</source>
      <translation>Approve as volunteer</translation>
    </message>
    <message>
      <source>Try again</source>
      <translation>Try again</translation>
    </message>
    <message>
      <source>Waiting for {seconds} s</source>
      <translation>Waiting for {seconds} s</translation>
    </message>
    <message>
      <source>Waiting for {minutes} min {seconds} s</source>
      <translation>Waiting for {minutes} min {seconds} s</translation>
    </message>
  </context>
</TS>
