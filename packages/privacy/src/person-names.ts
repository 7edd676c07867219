// Common given names and surnames (lower case) across the markets the demo shop and UCI retail data
// cover (UK, US, Western Europe, Iberia, Latin America, South and East Asia), written for this project
// from general knowledge of name frequency. They only have to separate names from product words: a
// column passes when most of its values start with a known given name or end with a known surname.

const FIRST = `james john robert michael william david richard joseph thomas charles christopher daniel
matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward
jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel
gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry peter
oliver harry noah leo arthur oscar charlie freddie alfie archie theo luca lucas louis hugo jules
mohammed muhammad ahmed ali omar hassan yusuf ibrahim raj rahul arjun vikram amit sanjay ravi priya
anita sunita deepa kavya wei li ming jun hiroshi takeshi kenji yuki haruto sakura mei chen hana
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret
sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca
sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha
katherine christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce
virginia victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline
martha gloria teresa ann sara madison frances kathryn janice jean abigail alice judy sophia grace
denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany charlotte marie
kayla alexis lori amelia isla ava mia ella lily freya poppy chloe sophie lucy ellie zoe ruby
sofia lena lea clara julia laura marta lucia carmen elena paula ines ana isabel rosa pilar
hans klaus jurgen stefan uwe wolfgang dieter matthias tobias florian lukas jonas felix maximilian
pierre jean-pierre francois nicolas philippe antoine mathieu julien camille manon chloe ines
giuseppe giovanni marco francesco alessandro luca matteo andrea lorenzo sofia giulia chiara
juan carlos luis miguel javier diego pablo alejandro sergio jorge manuel antonio pedro rafael
fatima aisha zainab leila yasmin nour sven lars erik anders ingrid astrid jan pieter sanne`;

const LAST = `smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez
gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez
clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green
adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz
parker cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan
cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood
james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster
jimenez powell jenkins perry russell sullivan bell coleman butler henderson barnes gonzales fisher
vasquez simmons romero jordan patterson alexander hamilton graham reynolds griffin wallace moreno
west cole hayes bryant herrera gibson ellis tran medina aguilar stevens murray ford castro marshall
owens harrison fernandez mcdonald woods washington kennedy wells vargas henry chen freeman webb
tucker guzman burns crawford olson simpson porter hunter gordon mendez silva shaw snyder mason
dixon munoz hunt hicks holmes palmer wagner black robertson boyd rose stone salazar fox warren
mills meyer rice schmidt garza daniels ferguson nichols stephens soto weaver ryan gardner payne
grant dunn kelley spencer hawkins arnold pierce hansen peters santos hart bradley knight elliott
cunningham duncan armstrong hudson carroll lane riley andrews ray berry perkins hoffman johnston
matthews pena richards willis carpenter lawrence sandoval singh sharma kumar gupta khan shah das
wang li zhang liu yang huang zhao wu zhou xu sun ma tanaka suzuki takahashi watanabe ito yamamoto
nakamura kobayashi sato mueller muller schneider fischer weber becker schulz hoffmann koch richter
klein wolf neumann schwarz zimmermann braun hofmann lange dubois durand leroy moreau laurent lefebvre
rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti costa
jansen janssen visser smit bakker mulder bos vos dekker andersson johansson karlsson nilsson
eriksson larsson olsen hansen pedersen nielsen novak kowalski nowak wisniewski dobson fletcher`;

// Surnames that are also colours or everyday product words: a colour column ("Green", "Black") or a
// title ending in "Rose" must not read as a list of people.
const COMMON_WORDS = new Set(
  "brown white green gray grey black rose stone long price wood woods hill bell rice fox king young reed west lane ray berry cole grant hunt mills wells hart knight cook baker mason fisher hunter carpenter gardner porter butler rivers ford gold silver".split(
    " ",
  ),
);

const toSet = (text: string): ReadonlySet<string> =>
  new Set(text.split(/\s+/).filter((w) => w.length > 0 && !COMMON_WORDS.has(w)));

export const FIRST_NAMES = toSet(FIRST);
export const SURNAMES = toSet(LAST);
